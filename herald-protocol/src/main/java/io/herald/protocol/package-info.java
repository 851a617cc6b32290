/**
 * The Ably wire model and its codecs: {@link io.herald.protocol.ProtocolMessage} and the message types it carries
 * (Message, PresenceMessage, ErrorInfo, ConnectionDetails), Ably's action codes, flags and error codes, and the JSON
 * and msgpack codecs ({@link io.herald.protocol.ProtocolCodec}) used on the WebSocket and for REST bodies. Facts follow
 * docs/protocol.md §1.3, §1.4 and §2. This package knows nothing of Netty, sessions or auth.
 *
 * <p>Codec design: the Ably types are written once against a small value model ({@code WireWriter}: objects, arrays,
 * strings, integers, floats, booleans, null, binary) and read once against a pull cursor ({@code WireReader});
 * {@code WireEncoder}/{@code WireDecoder} hold all field knowledge, so both formats always agree on names, omission
 * rules and errors. JSON is Jackson's streaming {@code JsonParser}/{@code JsonGenerator} (strict parsing, nesting
 * capped by StreamReadConstraints, pre-encoded field names). msgpack is read and written by hand over a
 * {@code byte[]} rather than through jackson-dataformat-msgpack or msgpack-core (v0.9.10): the Jackson msgpack
 * generator buffers every value as a node object until the root closes (a typical MESSAGE frame encoded at about
 * 0.7M/s against about 4M/s here, in a side-by-side JMH run), and both its parser and msgpack-core's
 * {@code readPayload(len)} allocate whatever length a header claims, so a 5-byte str32 header asking for 2 GB
 * would be honoured; our reader checks every declared length against the bytes left first. Map headers are patched after the fields are counted, so null fields are simply not written.
 * Text is always {@code str}, only {@code byte[]} data is {@code bin}, integers use the smallest int type (docs/protocol.md §1.4).
 * msgpack-core and ably-java 1.5 are used in the tests to check the bytes.
 */
package io.herald.protocol;
