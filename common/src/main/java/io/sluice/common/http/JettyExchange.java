package io.sluice.common.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * One Jetty request and response as the JDK's {@link HttpExchange}, with the JDK server's meaning of
 * {@link #sendResponseHeaders}: a length above 0 is the exact body length, 0 a body of any length
 * (chunked), -1 none. {@link #getRequestURI()} throws {@link IllegalArgumentException} for a request
 * target {@code java.net.URI} cannot parse, which {@link HttpGuard} answers as a 400.
 */
final class JettyExchange extends HttpExchange {

    private final HttpContext context;
    private final Request request;
    private final Response response;
    private final Headers requestHeaders = new Headers();
    private final Headers responseHeaders = new Headers();
    private InputStream in;
    private OutputStream out;
    private int status = -1;
    private boolean closed;

    JettyExchange(HttpContext context, Request request, Response response) {
        this.context = context;
        this.request = request;
        this.response = response;
        for (HttpField field : request.getHeaders()) requestHeaders.add(field.getName(), field.getValue());
        this.in = Content.Source.asInputStream(request);
        this.out = Content.Sink.asOutputStream(response);
    }

    boolean headersSent() {
        return status >= 0;
    }

    @Override
    public Headers getRequestHeaders() {
        return requestHeaders;
    }

    @Override
    public Headers getResponseHeaders() {
        return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
        return URI.create(request.getHttpURI().getPathQuery());
    }

    @Override
    public String getRequestMethod() {
        return request.getMethod();
    }

    @Override
    public HttpContext getHttpContext() {
        return context;
    }

    /** Ends the answer: the headers (a 500 if the handler sent none) and the body's last chunk. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            if (!headersSent()) sendResponseHeaders(500, -1);
            in.close();
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public InputStream getRequestBody() {
        return in;
    }

    @Override
    public OutputStream getResponseBody() {
        return out;
    }

    @Override
    public void sendResponseHeaders(int code, long length) throws IOException {
        if (headersSent()) throw new IOException("the response headers were already sent");
        status = code;
        response.setStatus(code);
        for (Map.Entry<String, List<String>> header : responseHeaders.entrySet()) {
            for (String value : header.getValue()) response.getHeaders().add(header.getKey(), value);
        }
        if (length > 0) {
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
        } else if (length < 0) {
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
            out.close();
        }
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return (InetSocketAddress) request.getConnectionMetaData().getRemoteSocketAddress();
    }

    @Override
    public int getResponseCode() {
        return status;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return (InetSocketAddress) request.getConnectionMetaData().getLocalSocketAddress();
    }

    @Override
    public String getProtocol() {
        return request.getConnectionMetaData().getProtocol();
    }

    @Override
    public Object getAttribute(String name) {
        return request.getAttribute(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        request.setAttribute(name, value);
    }

    @Override
    public void setStreams(InputStream i, OutputStream o) {
        if (i != null) in = i;
        if (o != null) out = o;
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return null;
    }
}
