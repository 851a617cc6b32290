package io.herald.protocol;

/** The msgpack codec (WebSocket binary frames and {@code application/x-msgpack} bodies; ably-protocol.md §8). */
final class MsgpackCodec extends WireCodec {
    static final MsgpackCodec INSTANCE = new MsgpackCodec();

    private MsgpackCodec() {
    }

    @Override
    public Format format() {
        return Format.MSGPACK;
    }

    @Override
    WireReader reader(byte[] input) {
        return new MsgpackReader(input);
    }

    @Override
    WireWriter writer() {
        return new MsgpackWriter();
    }
}
