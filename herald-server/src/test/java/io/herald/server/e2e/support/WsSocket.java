package io.herald.server.e2e.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A minimal WebSocket client over a plain socket, for frames {@code java.net.http} cannot send or hides: a frame header
 * that announces more payload than is then sent, a close frame at a chosen moment. Reads the server's (unmasked)
 * frames one by one, close frames included.
 */
public final class WsSocket implements AutoCloseable {
    /** A frame from the server. */
    public record Frame(int opcode, byte[] payload) {
        public boolean isClose() {
            return opcode == 8;
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    public WsSocket(TestServer server, String query) {
        try {
            socket = new Socket("127.0.0.1", server.port());
            socket.setSoTimeout(10_000);
            in = new DataInputStream(socket.getInputStream());
            out = socket.getOutputStream();
            byte[] nonce = new byte[16];
            RANDOM.nextBytes(nonce);
            out.write(("GET /?" + query
                            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                            + "Sec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String head = readHead();
            if (!head.startsWith("HTTP/1.1 101")) {
                throw new AssertionError("upgrade refused: " + head);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("closed during the upgrade: " + b);
            }
            b.write(c);
            String s = b.toString(StandardCharsets.ISO_8859_1);
            if (s.endsWith("\r\n\r\n")) {
                return s;
            }
        }
    }

    /** The next frame, or null if the server closed the socket; fails after the socket timeout (10 s). */
    public Frame read() {
        try {
            int b0 = in.read();
            if (b0 < 0) {
                return null;
            }
            int b1 = in.readUnsignedByte();
            long len = b1 & 0x7f;
            if (len == 126) {
                len = in.readUnsignedShort();
            } else if (len == 127) {
                len = in.readLong();
            }
            byte[] payload = new byte[(int) len];
            in.readFully(payload);
            return new Frame(b0 & 0x0f, payload);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no frame from the server within 10 s", e);
        } catch (EOFException e) {
            return null;
        } catch (IOException e) {
            throw new AssertionError("reading failed (connection reset?): " + e, e);
        }
    }

    /**
     * Writes a masked frame header announcing {@code announced} payload bytes, then only {@code sent} of them, and
     * stops: whatever the server does next, none of the client's bytes are left unread.
     */
    public void sendPartialFrame(boolean binary, long announced, byte[] sent) {
        byte[] length = new byte[9];
        length[0] = (byte) 127;
        for (int i = 0; i < 8; i++) {
            length[1 + i] = (byte) (announced >>> (8 * (7 - i)));
        }
        send(binary ? 2 : 1, length, sent);
    }

    /** Writes one whole masked text frame. */
    public void sendText(String text) {
        sendFrame(1, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes a masked close frame with this status code and no reason. */
    public void sendClose(int code) {
        sendFrame(8, new byte[] {(byte) (code >>> 8), (byte) code});
    }

    private void sendFrame(int opcode, byte[] payload) {
        if (payload.length > 125) {
            throw new IllegalArgumentException("only short frames: " + payload.length + " bytes");
        }
        send(opcode, new byte[] {(byte) payload.length}, payload);
    }

    /**
     * Writes a final frame: the opcode, the length bytes as given (the mask bit is set on the first), a random mask
     * and the payload masked with it.
     */
    private void send(int opcode, byte[] length, byte[] payload) {
        try {
            byte[] mask = new byte[4];
            RANDOM.nextBytes(mask);
            ByteArrayOutputStream f = new ByteArrayOutputStream();
            f.write(0x80 | opcode);
            f.write(0x80 | length[0]);
            f.write(length, 1, length.length - 1);
            f.write(mask);
            for (int i = 0; i < payload.length; i++) {
                f.write(payload[i] ^ mask[i % 4]);
            }
            out.write(f.toByteArray());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // best effort
        }
    }
}
