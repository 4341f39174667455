package io.sluice.dcb.decider;

import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class DeciderFailuresTest {

    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong();
    private final DeciderFailures failures = new DeciderFailures(now::get);

    @Test
    void aBrokersErrorReplacesTheThread() {
        // what DcbFaultIT met after a broker restart: Streams wraps it as fatal, not as a task migration
        StreamsException commit = new StreamsException("Error encountered trying to commit a transaction",
                new InvalidTxnStateException("The producer attempted a transactional operation in an invalid state."));
        assertThat(failures.handle(commit)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }

    @Test
    void aBugShutsTheClientDown() {
        StreamsException processing = new StreamsException("Exception caught in process", new IllegalStateException("a bug"));
        assertThat(failures.handle(processing)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(failures.handle(new NullPointerException())).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void brokerErrorsAgainAndAgainWithinAMinuteShutItDown() {
        StreamsException commit = new StreamsException("commit", new InvalidTxnStateException("invalid state"));
        for (int i = 0; i < DeciderFailures.MAX_REPLACEMENTS; i++) {
            now.addAndGet(SECOND);
            assertThat(failures.handle(commit)).as("replacement %d", i + 1).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        }
        assertThat(failures.handle(commit)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        now.addAndGet(61 * SECOND); // a minute later the count starts over
        assertThat(failures.handle(commit)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }
}
