package io.sluice.dcb.service.testing;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server stream's messages in a queue as a grpc-java client receives them, how it ended, and a way
 * to cancel it as a client does. With {@code initialRequests} > 0 it asks for only that many messages
 * (a client that stops reading); 0 reads everything.
 */
public class StreamRecorder<Q, R> implements ClientResponseObserver<Q, R> {

    public final BlockingQueue<R> messages = new LinkedBlockingQueue<>();
    /** Completes with the stream's error, or null when it completed. */
    public final CompletableFuture<Throwable> error = new CompletableFuture<>();
    public volatile ClientCallStreamObserver<Q> call;
    private final int initialRequests;

    public StreamRecorder(int initialRequests) {
        this.initialRequests = initialRequests;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<Q> requests) {
        call = requests;
        if (initialRequests > 0) requests.disableAutoRequestWithInitial(initialRequests);
    }

    @Override
    public void onNext(R value) {
        messages.add(value);
    }

    @Override
    public void onError(Throwable t) {
        error.complete(t);
    }

    @Override
    public void onCompleted() {
        error.complete(null);
    }

    /** The next message, which must arrive {@code within}. */
    public R next(Duration within) throws InterruptedException {
        R message = messages.poll(within.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(message).as("a message within %s", within).isNotNull();
        return message;
    }

    /** The next {@code count} messages, each of which must arrive {@code within} of the one before. */
    public List<R> take(int count, Duration within) throws InterruptedException {
        List<R> taken = new ArrayList<>(count);
        while (taken.size() < count) {
            R next = messages.poll(within.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(next).as("message %d of %d within %s", taken.size() + 1, count, within).isNotNull();
            taken.add(next);
        }
        return taken;
    }

    public void cancel() {
        call.cancel("the test is done with it", null);
    }
}
