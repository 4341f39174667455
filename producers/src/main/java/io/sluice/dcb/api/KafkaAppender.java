package io.sluice.dcb.api;

import io.sluice.schemas.dcb.AppendCommand;
import io.sluice.schemas.dcb.AppendResult;
import io.sluice.schemas.topics.Topics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

import java.time.Duration;
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
            throw new JsonHandler.Unavailable("the append could not be sent to Kafka: " + e.getMessage(), e);
        } catch (ExecutionException e) {
            throw new JsonHandler.Unavailable("the append failed before the decider answered: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new JsonHandler.Unavailable("no answer from the decider within " + timeout + "; the append may still be"
                    + " applied: retry with the same " + AppendHandler.IDEMPOTENCY_KEY + " to have it applied at most once", e);
        } finally {
            results.forget(requestId);
        }
    }
}
