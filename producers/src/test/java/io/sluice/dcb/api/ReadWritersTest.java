package io.sluice.dcb.api;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Long answers take turns to produce; short ones never wait; a failure reaches the caller as it was. */
class ReadWritersTest {

    private static final byte[] PAST_FREE = new byte[(int) ReadWriters.FREE_BYTES + 1];

    @Test
    void aLongAnswerWaitsForTheTurnAnotherHoldsWhileAShortOneGoesThrough() throws Exception {
        try (ReadWriters writers = new ReadWriters(1); ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch firstHoldsTheTurn = new CountDownLatch(1);
            CountDownLatch letFirstFinish = new CountDownLatch(1);
            Future<?> first = callers.submit(() -> written(writers, new ByteArrayOutputStream(), out -> {
                out.write(PAST_FREE); // past the free bytes: now it holds the one turn while it produces
                firstHoldsTheTurn.countDown();
                letFirstFinish.await();
                out.write(1);
            }));
            try {
                assertThat(firstHoldsTheTurn.await(10, TimeUnit.SECONDS)).isTrue();
                theSecondWaitsForTheFirst(writers, callers, letFirstFinish, first);
            } finally {
                letFirstFinish.countDown(); // a failed check must not leave the first writer waiting for ever
            }
        }
    }

    private static void theSecondWaitsForTheFirst(ReadWriters writers, ExecutorService callers, CountDownLatch letFirstFinish,
                                                  Future<?> first) throws Exception {
        {
            CountDownLatch secondWrotePastFree = new CountDownLatch(1);
            ByteArrayOutputStream secondOut = new ByteArrayOutputStream();
            Future<?> second = callers.submit(() -> written(writers, secondOut, out -> {
                out.write(PAST_FREE);
                secondWrotePastFree.countDown();
                out.write(2);
            }));

            ByteArrayOutputStream shortOut = new ByteArrayOutputStream();
            callers.submit(() -> written(writers, shortOut, out -> out.write(new byte[64 * 1024]))).get(10, TimeUnit.SECONDS);
            assertThat(shortOut.size()).as("a short answer does not wait for a turn").isEqualTo(64 * 1024);

            // the second answer's bytes went out, but it may not produce more until the first gives its turn back
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (secondOut.size() < PAST_FREE.length && System.nanoTime() < deadline) Thread.sleep(10);
            assertThat(secondOut.size()).isEqualTo(PAST_FREE.length);
            assertThat(secondWrotePastFree.await(200, TimeUnit.MILLISECONDS)).isFalse();
            assertThatThrownBy(() -> second.get(200, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);

            letFirstFinish.countDown();
            first.get(10, TimeUnit.SECONDS);
            second.get(10, TimeUnit.SECONDS);
            assertThat(secondOut.size()).isEqualTo(PAST_FREE.length + 1);
        }
    }

    @Test
    void aFailureReachesTheCallerAsItWasAndGivesItsTurnBack() throws Exception {
        try (ReadWriters writers = new ReadWriters(1)) {
            SQLException failure = new SQLException("the cursor failed");
            assertThatThrownBy(() -> writers.write(stream(out -> {
                out.write(PAST_FREE);
                throw failure;
            }), new ByteArrayOutputStream())).isSameAs(failure);

            ByteArrayOutputStream next = new ByteArrayOutputStream();
            writers.write(stream(out -> {
                out.write(PAST_FREE);
                out.write(PAST_FREE);
            }), next);
            assertThat(next.size()).as("the failed answer's turn was given back").isEqualTo(2 * PAST_FREE.length);
        }
    }

    @Test
    void atLeastOneTurn() {
        assertThat(ReadWriters.defaultTurns()).isGreaterThanOrEqualTo(1);
        assertThatThrownBy(() -> new ReadWriters(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static OutputStream written(ReadWriters writers, OutputStream out, Body body) throws Exception {
        writers.write(stream(body), out);
        return out;
    }

    private interface Body {
        void writeTo(OutputStream out) throws Exception;
    }

    private static JsonHandler.Stream stream(Body body) {
        return new JsonHandler.Stream() {
            @Override
            public void writeTo(OutputStream out) throws Exception {
                body.writeTo(out);
            }

            @Override
            public void close() {
            }
        };
    }
}
