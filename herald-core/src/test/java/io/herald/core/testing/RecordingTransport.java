package io.herald.core.testing;

import io.herald.core.transport.Transport;
import io.herald.protocol.Format;
import io.herald.protocol.ProtocolCodec;
import io.herald.protocol.ProtocolMessage;
import java.util.ArrayList;
import java.util.List;

/** A transport that keeps what the server sent, decoded. */
public final class RecordingTransport implements Transport {
    private final Format format;
    private final List<ProtocolMessage> sent = new ArrayList<>();
    private boolean open = true;
    private int pings;

    public RecordingTransport(Format format) {
        this.format = format;
    }

    @Override
    public Format format() {
        return format;
    }

    @Override
    public synchronized void send(byte[] frame) {
        if (open) {
            sent.add(ProtocolCodec.of(format).decode(frame));
        }
    }

    @Override
    public synchronized void ping() {
        if (open) {
            pings++;
        }
    }

    /** Liveness probes sent while open. */
    public synchronized int pings() {
        return pings;
    }

    @Override
    public synchronized void close() {
        open = false;
    }

    @Override
    public synchronized boolean isOpen() {
        return open;
    }

    @Override
    public String remoteAddress() {
        return "test";
    }

    /** Everything sent so far, and forget it. */
    public synchronized List<ProtocolMessage> drain() {
        List<ProtocolMessage> out = new ArrayList<>(sent);
        sent.clear();
        return out;
    }

    public synchronized List<ProtocolMessage> sent() {
        return new ArrayList<>(sent);
    }
}
