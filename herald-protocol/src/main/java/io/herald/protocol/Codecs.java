package io.herald.protocol;

import java.util.Objects;

/** Holder of the two codec singletons. */
final class Codecs {
    private Codecs() {}

    static ProtocolCodec of(Format format) {
        return switch (Objects.requireNonNull(format, "format")) {
            case JSON -> JsonCodec.INSTANCE;
            case MSGPACK -> MsgpackCodec.INSTANCE;
        };
    }
}
