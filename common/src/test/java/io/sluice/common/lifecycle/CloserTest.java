package io.sluice.common.lifecycle;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CloserTest {

    @Test
    void closesTheNewestFirst() {
        List<String> closed = new ArrayList<>();
        Closer closer = new Closer("stopping");
        closer.push(() -> closed.add("broker"));
        closer.push(() -> closed.add("registry"));
        closer.push(() -> closed.add("api"));

        closer.close();

        assertThat(closed).containsExactly("api", "registry", "broker");
    }

    @Test
    void closesEveryPartWhenOneFailsAndThrowsTheFirstFailureWithTheRestSuppressed() {
        List<String> closed = new ArrayList<>();
        Closer closer = new Closer("stopping the stack");
        closer.push(() -> closed.add("first"));
        closer.push(() -> { throw new IllegalStateException("second broke"); });
        closer.push(() -> { throw new IllegalStateException("third broke"); });

        assertThatThrownBy(closer::close)
                .isInstanceOf(Closer.CloseException.class)
                .hasMessage("stopping the stack failed: third broke")
                .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage).containsExactly("second broke"));
        assertThat(closed).containsExactly("first");
    }

    @Test
    void closingTwiceClosesNothingTwice() {
        List<String> closed = new ArrayList<>();
        Closer closer = new Closer("stopping");
        closer.push(() -> closed.add("part"));

        closer.close();
        closer.close();

        assertThat(closed).containsExactly("part");
    }
}
