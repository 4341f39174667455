package io.sluice.backfill.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CidrBlockTest {

    @Test
    void containsTheAddressesUnderItsPrefix() throws Exception {
        CidrBlock block = CidrBlock.parse("172.16.0.0/12");
        assertThat(block.contains(InetAddress.getByName("172.16.0.0"))).isTrue();
        assertThat(block.contains(InetAddress.getByName("172.31.255.255"))).isTrue();
        assertThat(block.contains(InetAddress.getByName("172.32.0.0"))).isFalse();
        assertThat(block.contains(InetAddress.getByName("::1"))).isFalse();
        assertThat(CidrBlock.parse("0.0.0.0/0").contains(InetAddress.getByName("8.8.8.8"))).isTrue();
    }

    @Test
    void aBareAddressIsOneAddress() throws Exception {
        CidrBlock one = CidrBlock.parse("::1");
        assertThat(one).isEqualTo(CidrBlock.parse("::1/128"));
        assertThat(one.contains(InetAddress.getByName("::1"))).isTrue();
        assertThat(one.contains(InetAddress.getByName("::2"))).isFalse();
        assertThat(CidrBlock.parse("127.0.0.1").toString()).isEqualTo("127.0.0.1/32");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "example.com/24", "10.0.0.0/33", "::1/129", "10.0.0.0/x", "", "10.0.0.0/-1"})
    void refusesWhatIsNotAnAddressLiteralWithAPrefix(String text) {
        assertThatThrownBy(() -> CidrBlock.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
