package io.sluice.dcb.rules;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The storability rule against its definition: UTF-8 round-trips the string, and it holds no U+0000. */
class StorableTextTest {

    @Property(tries = 2000)
    void aStringIsStorableExactlyWhenUtf8KeepsItAndItHasNoNul(@ForAll("anyUtf16") String value) {
        boolean roundTrips = new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(value);
        boolean storable = roundTrips && value.indexOf('\u0000') < 0;
        assertThat(StorableText.problem(value).isEmpty()).as("%s", value.chars().mapToObj(Integer::toHexString).toList())
                .isEqualTo(storable);
        if (roundTrips) assertThat(StorableText.utf8Length(value)).isEqualTo(value.getBytes(StandardCharsets.UTF_8).length);
    }

    /** Any UTF-16 code units, surrogates and U+0000 included, often enough to matter. */
    @Provide
    Arbitrary<String> anyUtf16() {
        Arbitrary<Character> unit = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.chars().all()),
                net.jqwik.api.Tuple.of(2, Arbitraries.chars().range('\uD800', '\uDFFF')),
                net.jqwik.api.Tuple.of(1, Arbitraries.of('\u0000', '\uFFFE', '\uFFFF')));
        Arbitrary<String> supplementary = Arbitraries.integers().between(0x10000, 0x10FFFF).map(Character::toString);
        return Arbitraries.oneOf(unit.map(String::valueOf), supplementary).list().ofMaxSize(8)
                .map(parts -> String.join("", parts));
    }
}
