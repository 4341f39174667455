package io.sluice.etl.flatten;

import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

class FlattenerAppFailureTest {

    @Test
    void anErrorShutsTheClientDownEvenWhenWrapped() {
        assertThat(FlattenerApp.onStreamThreadFailure(new OutOfMemoryError("Java heap space"))).isEqualTo(SHUTDOWN_CLIENT);
        assertThat(FlattenerApp.onStreamThreadFailure(new StreamsException(new StackOverflowError()))).isEqualTo(SHUTDOWN_CLIENT);
    }

    @Test
    void anExceptionReplacesTheThread() {
        assertThat(FlattenerApp.onStreamThreadFailure(new StreamsException(new IllegalStateException("x")))).isEqualTo(REPLACE_THREAD);
    }
}
