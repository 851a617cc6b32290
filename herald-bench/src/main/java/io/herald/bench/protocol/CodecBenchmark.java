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

/**
 * Codec throughput for the two frames that dominate traffic: the MESSAGE the server fans out to subscribers
 * (one message, 100-byte string data, ids, timestamp, channel, channelSerial) and the MESSAGE a client publishes.
 * Run: {@code java -jar herald-bench/target/herald-bench.jar 'io.herald.bench.protocol.*' -f 1 -wi 2 -i 3}.
 */
@State(Scope.Benchmark)
// JMH sets the @Param field and runs @Setup, which sets the rest, before any @Benchmark method
@SuppressWarnings("NullAway.Init")
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CodecBenchmark {
    private static final String DATA = "x".repeat(100);

    @Param({"JSON", "MSGPACK"})
    public Format format;

    private ProtocolCodec codec;
    private ProtocolMessage delivery;
    private ProtocolMessage publish;
    private byte[] deliveryBytes;
    private byte[] publishBytes;

    @Setup
    public void setup() {
        codec = ProtocolCodec.of(format);

        delivery = ProtocolMessage.of(Action.MESSAGE, "chat:room-42");
        delivery.channelSerial = "0195f3a2b4c-000@herald:0";
        Message m = new Message("greeting", DATA);
        m.id = "Fq3kT9xZ:17:0";
        m.clientId = "user-1";
        m.connectionId = "Fq3kT9xZ";
        m.timestamp = 1_700_000_000_123L;
        delivery.messages = List.of(m);

        publish = ProtocolMessage.of(Action.MESSAGE, "chat:room-42");
        publish.msgSerial = 17L;
        Message p = new Message("greeting", DATA);
        p.action = 0;
        publish.messages = List.of(p);

        deliveryBytes = codec.encode(delivery);
        publishBytes = codec.encode(publish);
    }

    @Benchmark
    public byte[] encodeDelivery() {
        return codec.encode(delivery);
    }

    @Benchmark
    public ProtocolMessage decodeDelivery() {
        return codec.decode(deliveryBytes);
    }

    @Benchmark
    public byte[] encodePublish() {
        return codec.encode(publish);
    }

    @Benchmark
    public ProtocolMessage decodePublish() {
        return codec.decode(publishBytes);
    }
}
