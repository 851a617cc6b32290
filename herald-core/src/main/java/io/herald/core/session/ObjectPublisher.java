package io.herald.core.session;

import io.herald.auth.Operations;
import io.herald.core.channel.ChannelName;
import io.herald.core.channel.MessageRules;
import io.herald.core.engine.ObjectsRequest;
import io.herald.core.engine.ObjectsSnapshot;
import io.herald.core.engine.ObjectsStore;
import io.herald.core.engine.PublishOutcome;
import io.herald.core.internal.AblyException;
import io.herald.core.internal.Stages;
import io.herald.core.objects.ObjectMessage;
import io.herald.core.objects.ObjectMessages;
import io.herald.core.objects.ObjectSyncPages;
import io.herald.protocol.Action;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.Flags;
import io.herald.protocol.ProtocolMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A client's OBJECT ProtocolMessage (docs/liveobjects.md): LiveObjects operations on one channel. Checks the
 * channel, the {@code object-publish} capability (40160) and mode (40165), the messages' shape (92000) and size
 * (40009), completes them (id {@code connectionId:msgSerial:index}, clientId, connectionId, timestamp) and hands the
 * batch to the engine's {@link ObjectsStore}, which checks it against the channel's objects, applies it and
 * publishes it. The outcome's serials go back in the ACK, so ably-js can apply its own operations on ACK.
 */
final class ObjectPublisher {
    private final Session session;

    ObjectPublisher(Session session) {
        this.session = session;
    }

    /** Objects per OBJECT_SYNC page. */
    static final int SYNC_PAGE = 100;

    /**
     * A snapshot as OBJECT_SYNC pages of at most {@link #SYNC_PAGE} states and {@code maxMessageSize} bytes (a large
     * map is split into partial states, {@link ObjectSyncPages}): {@code channelSerial} is {@code syncId:cursor}, the
     * cursor empty on the last page; a pool with only its root still makes one page, so the client always ends its
     * sync.
     */
    static List<ProtocolMessage> syncPages(String channel, ObjectsSnapshot snapshot, long maxMessageSize) {
        String syncId = io.herald.core.internal.Ids.alphanumeric(8);
        List<List<ObjectMessage>> split = ObjectSyncPages.split(snapshot.objects(), maxMessageSize, SYNC_PAGE);
        List<ProtocolMessage> pages = new ArrayList<>(split.size());
        for (int i = 0; i < split.size(); i++) {
            ProtocolMessage page = ProtocolMessage.of(Action.OBJECT_SYNC, channel);
            page.channelSerial = syncId + ":" + (i + 1 < split.size() ? Integer.toString(i + 1) : "");
            page.state = ObjectMessages.write(split.get(i));
            pages.add(page);
        }
        return pages;
    }

    CompletionStage<PublishOutcome> publish(ProtocolMessage pm) {
        ChannelName name = ChannelName.parse(pm.channel);
        if (name.filter() != null) {
            throw new AblyException(
                    ErrorCode.BAD_REQUEST,
                    "Cannot publish objects on a derived (filtered) channel; use " + name.base());
        }
        MessageRules.checkNotMeta(name, "publish objects");
        ObjectsStore store = session.services.engine().objects();
        if (!store.supported()) {
            throw new AblyException(ErrorCode.BAD_REQUEST, "LiveObjects is not supported by this server's engine");
        }
        if (!session.allows(name.base(), Operations.OBJECT_PUBLISH)) {
            throw new AblyException(
                    ErrorCode.OPERATION_NOT_PERMITTED, session.denial(name.base(), Operations.OBJECT_PUBLISH));
        }
        Attachment att = session.attachment(name.full());
        if (att != null && att.requestedModes != 0 && !att.hasMode(Flags.MODE_OBJECT_PUBLISH)) {
            throw new AblyException(
                    ErrorCode.MODE_NOT_REQUESTED,
                    "Operation not permitted: channel '" + name.full()
                            + "' was attached without the OBJECT_PUBLISH mode");
        }
        List<ObjectMessage> read = ObjectMessages.read(pm.state);
        if (read.isEmpty()) {
            throw new AblyException(ErrorCode.OBJECT_INVALID_MESSAGE, "OBJECT without object messages");
        }
        long now = session.now();
        String prefix = session.connectionId + ":" + (pm.msgSerial == null ? 0 : pm.msgSerial);
        String clientId = session.clientId();
        List<ObjectMessage> complete = new ArrayList<>(read.size());
        long size = 0;
        for (int i = 0; i < read.size(); i++) {
            ObjectMessage m = read.get(i);
            if (m.operation() == null || m.object() != null) {
                throw new AblyException(
                        ErrorCode.OBJECT_INVALID_MESSAGE, "A client's object message carries an operation only");
            }
            if (m.clientId() != null && clientId != null && !clientId.equals(m.clientId())) {
                throw new AblyException(
                        ErrorCode.INVALID_CLIENT_ID,
                        "Object message clientId '" + m.clientId() + "' does not match the connection's clientId");
            }
            size += m.size();
            complete.add(new ObjectMessage(
                    prefix + ":" + i,
                    clientId != null ? clientId : m.clientId(),
                    session.connectionId,
                    now,
                    null,
                    null,
                    null,
                    m.extras(),
                    m.operation(),
                    null));
        }
        int max = session.limits().maxMessageSize();
        if (size > max) {
            throw new AblyException(
                    ErrorCode.MESSAGE_TOO_LARGE,
                    "Object messages of " + size + " bytes exceed the maximum message size of " + max + " bytes");
        }
        ProtocolMessage event = ProtocolMessage.of(Action.OBJECT, name.base());
        event.id = prefix;
        event.connectionId = session.connectionId;
        event.timestamp = now;
        ObjectsRequest request = new ObjectsRequest(
                att != null ? att.id : new io.herald.core.engine.ChannelId(session.appId(), name.base()),
                event,
                complete,
                session.services.channels().retention(session.appId(), name));
        CompletionStage<Void> afterAttach = att == null ? Stages.done() : att.positioned;
        return afterAttach.thenCompose(v -> store.apply(request));
    }
}
