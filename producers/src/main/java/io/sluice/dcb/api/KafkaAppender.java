package io.sluice.dcb.api;

import io.sluice.schemas.dcb.AppendCommand;
import io.sluice.schemas.dcb.AppendResult;
import io.sluice.schemas.topics.Topics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Appends through the decider: produces the command on dcb.commands (key {@code "dcb"}, the
 * shared idempotent producer) and waits for the AppendResult that {@link ResultWaiter} hands over,
 * which the decider commits in the same transaction as the events. Registers the wait before
 * sending, so an answer cannot arrive unheard.
 */
final class KafkaAppender implements Appender {

    private final Producer<String, AppendCommand> producer;
    private final String commandsTopic;
    private final ResultWaiter results;
    private final Duration timeout;

    KafkaAppender(Producer<String, AppendCommand> producer, String commandsTopic, ResultWaiter results, Duration timeout) {
        this.producer = producer;
        this.commandsTopic = commandsTopic;
        this.results = results;
        this.timeout = timeout;
    }

    @Override
    public AppendResult append(AppendCommand command) throws JsonHandler.Unavailable, InterruptedException {
        String requestId = command.getRequestId();
        CompletableFuture<AppendResult> answer = results.expect(requestId);
        try {
            producer.send(new ProducerRecord<>(commandsTopic, Topics.DCB_COMMAND_KEY, command), (metadata, e) -> {
                if (e != null) answer.completeExceptionally(e);
            });
            return answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (KafkaException e) {
            Optional<TooLargeException> tooLarge = tooLarge(e);
            if (tooLarge.isPresent()) throw tooLarge.get();
            throw new JsonHandler.Unavailable("the append could not be sent to Kafka: " + e.getMessage(), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException failure) {
                Optional<TooLargeException> tooLarge = tooLarge(failure);
                if (tooLarge.isPresent()) throw tooLarge.get();
            }
            throw new JsonHandler.Unavailable("the append failed before the decider answered: " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new JsonHandler.Unavailable("no answer from the decider within " + timeout + "; the append may still be"
                    + " applied: retry with the same " + AppendHandler.IDEMPOTENCY_KEY + " to have it applied at most once", e);
        } finally {
            results.forget(requestId);
        }
    }

    /**
     * A 413 for a record the producer or the broker refuses as too large: permanent, so not the
     * 503 that tells the client to retry. The API's body limit leaves room for the envelope under
     * the producer's max.request.size, so this means the broker's or topic's message size is lower.
     */
    private static Optional<TooLargeException> tooLarge(RuntimeException e) {
        if (!(e instanceof RecordTooLargeException) && !(e instanceof RecordBatchTooLargeException)) return Optional.empty();
        return Optional.of(new TooLargeException("the append is too large for Kafka: " + e.getMessage()
                + " (lower " + ApiLimits.BODY_OPTION + ", or raise the dcb commands topic's max.message.bytes)"));
    }
}
