package io.sluice.common.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * The errors Jetty answers itself, before any sluice handler runs (a request line or header it cannot
 * parse, headers too large) or after one failed (500), as {@link JsonError}s instead of its HTML page.
 * A 5xx says only its status: an exception's text is for the log, not for the client.
 */
final class JsonErrorHandler extends ErrorHandler {

    @Override
    protected void generateResponse(Request request, Response response, int status, String message, Throwable cause,
                                    Callback callback) {
        String text = status >= 500 || message == null || message.isBlank() ? HttpStatus.getMessage(status) : message;
        byte[] body = JsonError.body(status, code(status), text);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** bad_request, request_header_fields_too_large, …: the status's reason phrase, as JsonError codes are spelled. */
    static String code(int status) {
        return HttpStatus.getMessage(status).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    }
}
