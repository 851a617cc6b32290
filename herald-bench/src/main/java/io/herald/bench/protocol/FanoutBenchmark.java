package io.herald.bench.protocol;

import io.herald.protocol.Action;
import io.herald.protocol.Format;
import io.herald.protocol.Message;
import io.herald.protocol.ProtocolCodec;
import io.herald.protocol.ProtocolMessage;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Fan-out of one MESSAGE (100-byte data) to 1,000 subscribers: encoded once and the same bytes handed to every
 * subscriber (what Herald's hub does, one encoding per wire format) against encoded once per subscriber. The sinks
 * stand in for transports: they take the frame and keep its length, as a socket write would take the bytes. One
 * operation is one whole fan-out. herald-core is not a dependency of this module, so the hub is modelled with the
 * protocol codec alone.
 */
@State(Scope.Benchmark)
// JMH sets the @Param field and runs @Setup, which sets the rest, before any @Benchmark method
@SuppressWarnings("NullAway.Init")
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FanoutBenchmark {
    private static final int SUBSCRIBERS = 1_000;

    /** A subscriber's transport: takes a frame. */
    static final class Sink {
        final Format format;
        long bytes;

        Sink(Format format) {
            this.format = format;
        }

        void send(byte[] frame) {
            bytes += frame.length;
        }
    }

    /** JSON, MSGPACK, or MIXED (every fifth subscriber JSON, as browsers next to Node/Java clients). */
    @Param({"MSGPACK", "MIXED"})
    public String formats;

    private Sink[] sinks;
    private ProtocolMessage event;
    private ProtocolCodec json;
    private ProtocolCodec msgpack;

    @Setup
    public void setup() {
        json = ProtocolCodec.of(Format.JSON);
        msgpack = ProtocolCodec.of(Format.MSGPACK);
        sinks = new Sink[SUBSCRIBERS];
        for (int i = 0; i < SUBSCRIBERS; i++) {
            sinks[i] = new Sink(formats.equals("MIXED") && i % 5 == 0 ? Format.JSON : Format.MSGPACK);
        }
        event = ProtocolMessage.of(Action.MESSAGE, "chat:room-42");
        event.id = "Fq3kT9xZ:17";
        event.connectionId = "Fq3kT9xZ";
        event.timestamp = 1_700_000_000_123L;
        event.channelSerial = "0195f3a2b4c-000@herald:0";
        Message m = new Message("greeting", "x".repeat(100));
        m.id = "Fq3kT9xZ:17:0";
        m.clientId = "user-1";
        m.connectionId = "Fq3kT9xZ";
        m.timestamp = 1_700_000_000_123L;
        event.messages = List.of(m);
    }

    /** Encode lazily once per format, then hand the same bytes to every subscriber. */
    @Benchmark
    public void encodeOnce(Blackhole bh) {
        byte[] packed = null;
        byte[] text = null;
        for (Sink s : sinks) {
            if (s.format == Format.MSGPACK) {
                if (packed == null) {
                    packed = msgpack.encode(event);
                }
                s.send(packed);
            } else {
                if (text == null) {
                    text = json.encode(event);
                }
                s.send(text);
            }
        }
        bh.consume(sinks[0].bytes);
    }

    /** Encode the event again for every subscriber. */
    @Benchmark
    public void encodePerSubscriber(Blackhole bh) {
        for (Sink s : sinks) {
            s.send((s.format == Format.MSGPACK ? msgpack : json).encode(event));
        }
        bh.consume(sinks[0].bytes);
    }
}
