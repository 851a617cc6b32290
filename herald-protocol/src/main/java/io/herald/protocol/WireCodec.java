package io.herald.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The {@link ProtocolCodec} contract implemented once over {@link WireReader}/{@link WireWriter}; a subclass only
 * says how to make a reader and a writer for its format. Decoding turns every failure into a
 * {@link ProtocolDecodeException} with 40000 Bad request.
 */
abstract class WireCodec implements ProtocolCodec {

    abstract WireReader reader(byte[] input);

    abstract WireWriter writer();

    @Override
    public ProtocolMessage decode(byte[] frame) {
        return read(frame, WireDecoder::protocolMessage);
    }

    @Override
    public byte[] encode(ProtocolMessage message) {
        return write(w -> WireEncoder.protocolMessage(w, message));
    }

    @Override
    public List<Message> decodeMessages(byte[] body) {
        return read(body, WireDecoder::messageBody);
    }

    @Override
    public List<PresenceMessage> decodePresenceMessages(byte[] body) {
        return read(body, WireDecoder::presenceBody);
    }

    @Override
    public byte[] encodeMessages(List<Message> messages) {
        return write(w -> WireEncoder.messages(w, messages));
    }

    @Override
    public byte[] encodeMessage(Message message) {
        return write(w -> WireEncoder.message(w, message));
    }

    @Override
    public byte[] encodePresenceMessages(List<PresenceMessage> messages) {
        return write(w -> WireEncoder.presenceMessages(w, messages));
    }

    @Override
    public byte[] encodeError(ErrorInfo error) {
        return write(w -> {
            w.startObject();
            w.field(Key.ERROR);
            WireEncoder.error(w, error);
            w.endObject();
        });
    }

    @Override
    public byte[] encodeValue(Object value) {
        return write(w -> WireEncoder.value(w, value));
    }

    @Override
    public JsonNode decodeTree(byte[] body) {
        return read(body, WireReader::readTree);
    }

    private byte[] write(Consumer<WireWriter> body) {
        WireWriter w = writer();
        body.accept(w);
        return w.finish();
    }

    private <T> T read(byte[] input, Function<WireReader, T> body) {
        if (input == null || input.length == 0) {
            throw WireReader.bad("Empty " + format() + " input");
        }
        WireReader r = null;
        try {
            r = reader(input);
            T value = body.apply(r);
            r.finish();
            return value;
        } catch (ProtocolDecodeException e) {
            throw e;
        } catch (RuntimeException e) {
            // a safety net: the readers throw ProtocolDecodeException themselves, anything else is still bad input
            throw new ProtocolDecodeException(ErrorCode.BAD_REQUEST.info("Malformed " + format() + ": " + e), e);
        } finally {
            if (r != null) {
                r.close();
            }
        }
    }
}
