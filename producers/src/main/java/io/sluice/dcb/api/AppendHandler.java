package io.sluice.dcb.api;

import com.sun.net.httpserver.HttpExchange;
import io.sluice.schemas.dcb.AppendResult;

import java.io.IOException;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@code POST /append}: consumes the JSON body ({@link DcbJson#parseAppend}, strict UTF-8, at most
 * {@link ApiLimits#maxBodyBytes()}) and an optional {@code Idempotency-Key} header, has the
 * {@link Appender} decide the command, and produces 200 {@code {"durationInMicroseconds",
 * "appendConditionFailed"}} when the store appended or refused on the condition, 400 when the
 * request is bad or over a {@link io.sluice.dcb.rules.DcbLimits limit} (or the store rejected it:
 * an idempotency key reused for another append), 413 when the body or the command is too large,
 * 503 when no final answer came in time: the append may still be decided, and a retry under the
 * same Idempotency-Key is applied at most once.
 */
final class AppendHandler extends JsonHandler {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

    private final Appender appender;
    private final ApiLimits limits;

    AppendHandler(Appender appender, ApiLimits limits) {
        super("/append", "POST");
        this.appender = appender;
        this.limits = limits;
    }

    @Override
    Response respond(HttpExchange exchange, long startedNanos) throws Unavailable, InterruptedException, IOException {
        String key = idempotencyKey(exchange);
        AppendRequest request = DcbJson.parseAppend(body(exchange, limits.maxBodyBytes()), limits.request());
        AppendResult result = appender.append(request.toCommand(UUID.randomUUID().toString(), key, Instant.now()));
        long micros = (System.nanoTime() - startedNanos) / 1_000;
        return switch (result.getOutcome()) {
            case APPENDED -> new Response(200, DcbJson.appendResponse(micros, false));
            case CONDITION_FAILED -> new Response(200, DcbJson.appendResponse(micros, true));
            case REJECTED -> Response.error(400, "rejected", result.getError());
        };
    }

    private static String idempotencyKey(HttpExchange exchange) {
        var values = exchange.getRequestHeaders().get(IDEMPOTENCY_KEY);
        if (values == null || values.isEmpty()) return null;
        if (values.size() > 1) throw new BadRequestException(IDEMPOTENCY_KEY + " may be given once, got " + values.size());
        return checkedKey(values.get(0), IDEMPOTENCY_KEY);
    }

    /** {@code key} when it is an idempotency key (1 to 255 visible ASCII characters), else a 400 naming {@code what}. */
    static String checkedKey(String key, String what) {
        if (!KEY.matcher(key).matches()) {
            throw new BadRequestException(what + " must be 1 to 255 visible ASCII characters, got '" + key + "'");
        }
        return key;
    }
}
