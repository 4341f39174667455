package io.sluice.dcb.api;

import com.sun.net.httpserver.HttpExchange;
import io.sluice.schemas.dcb.AppendCommand;
import io.sluice.schemas.dcb.AppendResult;
import io.sluice.schemas.topics.Topics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * {@code POST /append}: consumes the JSON body ({@link DcbJson#parseAppend}) and an optional
 * {@code Idempotency-Key} header, produces one AppendCommand on dcb.commands (key {@code "dcb"},
 * through the shared idempotent producer) and waits for the decider's AppendResult
 * ({@link ResultWaiter}). Answers 200 {@code {"durationInMicroseconds", "appendConditionFailed"}}
 * when the decider appended or refused on the condition, 400 when the request is bad (or the
 * decider rejected it: an idempotency key reused for another append), 503 when no answer came in
 * time: the append may still be decided, and a retry under the same Idempotency-Key is applied at
 * most once.
 */
final class AppendHandler extends JsonHandler {

    static final int MAX_BODY_BYTES = 1 << 20;
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

    private final Producer<String, AppendCommand> producer;
    private final String commandsTopic;
    private final ResultWaiter results;
    private final Duration timeout;

    AppendHandler(Producer<String, AppendCommand> producer, String commandsTopic, ResultWaiter results, Duration timeout) {
        super("/append", "POST");
        this.producer = producer;
        this.commandsTopic = commandsTopic;
        this.results = results;
        this.timeout = timeout;
    }

    @Override
    Response respond(HttpExchange exchange, long startedNanos) throws Unavailable, InterruptedException, IOException {
        String key = idempotencyKey(exchange);
        AppendRequest request = DcbJson.parseAppend(body(exchange, MAX_BODY_BYTES));
        String requestId = UUID.randomUUID().toString();
        AppendResult result = decide(request.toCommand(requestId, key, Instant.now()));
        long micros = (System.nanoTime() - startedNanos) / 1_000;
        return switch (result.getOutcome()) {
            case APPENDED -> new Response(200, DcbJson.appendResponse(micros, false));
            case CONDITION_FAILED -> new Response(200, DcbJson.appendResponse(micros, true));
            case REJECTED -> Response.error(400, "rejected", result.getError());
        };
    }

    private AppendResult decide(AppendCommand command) throws Unavailable, InterruptedException {
        String requestId = command.getRequestId();
        CompletableFuture<AppendResult> answer = results.expect(requestId);
        try {
            producer.send(new ProducerRecord<>(commandsTopic, Topics.DCB_COMMAND_KEY, command), (metadata, e) -> {
                if (e != null) answer.completeExceptionally(e);
            });
            return answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (KafkaException e) {
            throw new Unavailable("the append could not be sent to Kafka: " + e.getMessage(), e);
        } catch (ExecutionException e) {
            throw new Unavailable("the append failed before the decider answered: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new Unavailable("no answer from the decider within " + timeout + "; the append may still be applied:"
                    + " retry with the same " + IDEMPOTENCY_KEY + " to have it applied at most once", e);
        } finally {
            results.forget(requestId);
        }
    }

    private static String idempotencyKey(HttpExchange exchange) {
        var values = exchange.getRequestHeaders().get(IDEMPOTENCY_KEY);
        if (values == null || values.isEmpty()) return null;
        if (values.size() > 1) throw new BadRequestException(IDEMPOTENCY_KEY + " may be given once, got " + values.size());
        String key = values.get(0);
        if (!KEY.matcher(key).matches()) {
            throw new BadRequestException(IDEMPOTENCY_KEY + " must be 1 to 255 visible ASCII characters, got '" + key + "'");
        }
        return key;
    }
}
