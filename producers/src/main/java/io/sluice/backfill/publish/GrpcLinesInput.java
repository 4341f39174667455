package io.sluice.backfill.publish;

import io.grpc.stub.ServerCallStreamObserver;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A client stream of lines as the {@link InputStream} {@link DidPublisher#publish} reads, so the
 * gRPC intake runs the very same loop as {@code publish-dids FILE}. Inbound flow control: the next
 * message is asked of the client only when the reader has taken the previous one, so at most one
 * message waits here however fast the client sends.
 */
final class GrpcLinesInput extends InputStream {

    private static final byte[] END = new byte[0];
    private static final byte[] CANCELLED = new byte[0];

    private final ServerCallStreamObserver<?> call;
    private final LinkedBlockingQueue<byte[]> messages = new LinkedBlockingQueue<>();
    private byte[] current = new byte[0];
    private int offset;
    private boolean ended;

    /** Takes over the call's inbound flow control; call inside the RPC method. */
    GrpcLinesInput(ServerCallStreamObserver<?> call) {
        this.call = call;
        call.disableAutoRequest();
        call.request(1);
    }

    /** A message's lines, each ended by a newline. */
    void add(List<String> lines) {
        StringBuilder text = new StringBuilder();
        for (String line : lines) text.append(line).append('\n');
        messages.add(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    void end() {
        messages.add(END);
    }

    void cancel() {
        messages.add(CANCELLED);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        while (offset == current.length) {
            if (ended) return -1;
            byte[] next;
            try {
                next = messages.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the client's next lines", e);
            }
            if (next == CANCELLED) throw new IOException("the client cancelled the call");
            if (next == END) {
                ended = true;
                return -1;
            }
            current = next;
            offset = 0;
            call.request(1);
        }
        int n = Math.min(len, current.length - offset);
        System.arraycopy(current, offset, b, off, n);
        offset += n;
        return n;
    }
}
