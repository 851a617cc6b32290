package io.herald.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.server.e2e.support.Json;
import io.herald.server.e2e.support.RawWs;
import io.herald.server.e2e.support.TestServer;
import io.herald.server.e2e.support.WsSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The WebSocket closing handshake as the wire shows it (RFC 6455 §5.5.1, §7.1): whichever side starts it, the server
 * sends exactly one close frame and nothing after it, then closes the socket. A second close frame is a protocol
 * error to a browser (Chromium fails the socket with "Close received after close"), which is what a server-initiated
 * close (CLOSE, an expired token) answered by the peer used to produce.
 */
class CloseHandshakeIT {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static WsSocket connected() {
        WsSocket ws = new WsSocket(server, "key=" + RawWs.enc(server.full.keyString()) + "&format=json&v=6");
        assertThat(action(ws.read())).as("CONNECTED first").isEqualTo(4);
        return ws;
    }

    private static int action(WsSocket.Frame frame) {
        assertThat(frame).as("a frame, not the end of the stream").isNotNull();
        assertThat(frame.isClose()).as("a data frame, not a close frame").isFalse();
        JsonNode m = Json.parse(new String(frame.payload(), StandardCharsets.UTF_8));
        return m.path("action").asInt(-1);
    }

    /** Every frame until the server closes the socket. */
    private static List<WsSocket.Frame> rest(WsSocket ws) {
        List<WsSocket.Frame> frames = new ArrayList<>();
        for (WsSocket.Frame f = ws.read(); f != null; f = ws.read()) {
            frames.add(f);
        }
        return frames;
    }

    @Test
    void serverStartsTheClose_peerAnswers_noSecondCloseFrame_socketClosed() {
        try (WsSocket ws = connected()) {
            ws.sendText("{\"action\":7}"); // CLOSE: the server answers CLOSED and closes the transport
            assertThat(action(ws.read())).as("CLOSED").isEqualTo(8);
            WsSocket.Frame close = ws.read();
            assertThat(close).isNotNull();
            assertThat(close.isClose())
                    .as("the server's close frame, opcode %s", close.opcode())
                    .isTrue();
            ws.sendClose(1000); // the peer's answer completes the handshake
            assertThat(rest(ws))
                    .as("nothing after the server's close frame; the socket closed")
                    .isEmpty();
        }
    }

    @Test
    void peerStartsTheClose_serverAnswersOnce_socketClosed() {
        try (WsSocket ws = connected()) {
            ws.sendClose(1000);
            List<WsSocket.Frame> frames = rest(ws);
            assertThat(frames)
                    .as("exactly one frame: the server's close answer")
                    .hasSize(1);
            assertThat(frames.get(0).isClose()).isTrue();
        }
    }
}
