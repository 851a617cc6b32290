package io.herald.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Random bytes and random mutations of valid frames: every decode entry point either succeeds or throws
 * {@link ProtocolDecodeException} with 40000, never anything else. Seeded, so a failure reproduces.
 */
class CodecFuzzTest {
    private static final int ROUNDS = 10_000;

    private static List<byte[]> seeds(Format format) {
        ProtocolCodec codec = ProtocolCodec.of(format);
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(codec.encode(Samples.fullProtocolMessage()));
        ProtocolMessage bin = ProtocolMessage.of(Action.MESSAGE, "c");
        bin.messages = List.of(new Message("b", new byte[] {1, 2, 3}));
        seeds.add(codec.encode(bin));
        seeds.add(codec.encodeMessages(List.of(Samples.fullMessage())));
        seeds.add(codec.encodePresenceMessages(List.of(Samples.fullPresence())));
        seeds.add(
                Samples.frame(
                        format,
                        "{\"action\":15,\"channel\":\"chat:room\",\"messages\":[{\"name\":\"greet\","
                                + "\"data\":{\"text\":[1,2.5,true,null]},\"action\":0,\"encoding\":\"json\",\"size\":18}],\"msgSerial\":0}"));
        seeds.add(Samples.frame(format, "{\"action\":14,\"presence\":[{\"action\":\"enter\",\"data\":\"x\"}]}"));
        return seeds;
    }

    private static void decodeAll(ProtocolCodec codec, byte[] input) {
        List<Consumer<byte[]>> entryPoints =
                List.of(codec::decode, codec::decodeMessages, codec::decodePresenceMessages, codec::decodeTree);
        for (Consumer<byte[]> entryPoint : entryPoints) {
            try {
                entryPoint.accept(input);
            } catch (ProtocolDecodeException e) {
                assertThat(e.error().code()).isEqualTo(40000);
            } catch (Throwable t) {
                fail("non-ProtocolDecodeException for input " + HexFormat.of().formatHex(input), t);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void decode_randomBytes_onlyThrowsProtocolDecodeException(Format format) {
        ProtocolCodec codec = ProtocolCodec.of(format);
        Random random = new Random(20240601L + format.ordinal());
        for (int i = 0; i < ROUNDS; i++) {
            byte[] input = new byte[random.nextInt(64)];
            random.nextBytes(input);
            if (format == Format.JSON && input.length > 0 && random.nextBoolean()) {
                input[0] = (byte) (random.nextBoolean() ? '{' : '[');
            }
            decodeAll(codec, input);
        }
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void decode_mutatedValidFrames_onlyThrowsProtocolDecodeException(Format format) {
        ProtocolCodec codec = ProtocolCodec.of(format);
        List<byte[]> seeds = seeds(format);
        byte[] alphabet = "{}[]\":,0123456789.-eE\\ntrufals \u0000".getBytes(StandardCharsets.ISO_8859_1);
        Random random = new Random(777L + format.ordinal());
        for (int i = 0; i < ROUNDS; i++) {
            byte[] input = seeds.get(random.nextInt(seeds.size())).clone();
            int mutations = 1 + random.nextInt(4);
            for (int m = 0; m < mutations && input.length > 0; m++) {
                int at = random.nextInt(input.length);
                switch (random.nextInt(5)) {
                    case 0 -> input[at] = (byte) random.nextInt(256);
                    case 1 ->
                        input[at] = format == Format.JSON
                                ? alphabet[random.nextInt(alphabet.length)]
                                : (byte) (0xc0 + random.nextInt(64));
                    case 2 -> input = Arrays.copyOf(input, at); // truncate
                    case 3 -> { // delete one byte
                        byte[] shorter = new byte[input.length - 1];
                        System.arraycopy(input, 0, shorter, 0, at);
                        System.arraycopy(input, at + 1, shorter, at, input.length - at - 1);
                        input = shorter;
                    }
                    default -> { // duplicate a slice
                        int len = Math.min(input.length - at, 1 + random.nextInt(8));
                        byte[] longer = new byte[input.length + len];
                        System.arraycopy(input, 0, longer, 0, at + len);
                        System.arraycopy(input, at, longer, at + len, input.length - at);
                        input = longer;
                    }
                }
            }
            decodeAll(codec, input);
        }
    }
}
