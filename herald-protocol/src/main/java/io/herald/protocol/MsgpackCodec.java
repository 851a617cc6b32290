package io.herald.protocol;

/** The msgpack codec (WebSocket binary frames and {@code application/x-msgpack} bodies; docs/protocol.md §1.4). */
final class MsgpackCodec extends WireCodec {
    static final MsgpackCodec INSTANCE = new MsgpackCodec();

    private MsgpackCodec() {}

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
        return MsgpackWriter.take();
    }
}
