package io.herald.core.annotations;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.core.engine.ChannelEvent;
import io.herald.core.engine.Versions;
import io.herald.protocol.Action;
import io.herald.protocol.ProtocolMessage;

/**
 * How an annotation event of the log (docs/protocol.md §7.10) reaches subscribers: as an ANNOTATION ProtocolMessage
 * with the annotation and its serial (to those attached with ANNOTATION_SUBSCRIBE), and as a MESSAGE with the
 * summary message (action 4, the annotated message's serial; to those with SUBSCRIBE). Both carry the event's
 * {@code channelSerial}. Made once per event and encoded once per format, however many subscribers get them.
 */
public final class AnnotationViews {
    /** The two frames of one annotation event. */
    public record Views(ChannelEvent annotation, ChannelEvent summary) {}

    private AnnotationViews() {}

    /** Whether the event is an annotation (then deliver {@link #of} instead of the event itself). */
    public static boolean isAnnotation(ChannelEvent event) {
        return Versions.annotationOf(event) != null;
    }

    /** The frames of an annotation event (see {@link #isAnnotation}). */
    public static Views of(ChannelEvent event) {
        return event.derived(AnnotationViews::make);
    }

    private static Views make(ChannelEvent event) {
        ProtocolMessage src = event.message();
        ObjectNode stored = Versions.annotationOf(event);
        ProtocolMessage annotation = frame(Action.ANNOTATION, src);
        annotation.connectionId = src.connectionId;
        annotation.annotations = JsonNodeFactory.instance
                .arrayNode()
                .add(stored == null ? JsonNodeFactory.instance.objectNode() : Versions.withSerial(stored, event));
        ProtocolMessage summary = frame(Action.MESSAGE, src);
        summary.messages = src.messages;
        return new Views(
                new ChannelEvent(event.channel(), event.serial(), annotation),
                new ChannelEvent(event.channel(), event.serial(), summary));
    }

    private static ProtocolMessage frame(int action, ProtocolMessage src) {
        ProtocolMessage pm = new ProtocolMessage(action);
        pm.channel = src.channel;
        pm.channelSerial = src.channelSerial;
        pm.id = src.id;
        pm.timestamp = src.timestamp;
        return pm;
    }
}
