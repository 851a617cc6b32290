package io.herald.core.session;

import io.herald.auth.Operations;
import io.herald.core.annotations.AnnotationPublisher;
import io.herald.core.channel.ChannelName;
import io.herald.core.channel.MessageRules;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.PresenceSnapshot;
import io.herald.core.engine.PublishOutcome;
import io.herald.core.engine.PublishRequest;
import io.herald.core.history.MessageOperations;
import io.herald.core.internal.AblyException;
import io.herald.core.internal.Stages;
import io.herald.core.presence.PresenceRules;
import io.herald.protocol.Action;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.ErrorInfo;
import io.herald.protocol.Flags;
import io.herald.protocol.Message;
import io.herald.protocol.PresenceMessage;
import io.herald.protocol.ProtocolMessage;
import io.herald.protocol.PublishResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * A session's publishes (MESSAGE and PRESENCE with a {@code msgSerial}) and their acknowledgements (docs/protocol.md
 * §7.1): every one gets exactly one ACK or NACK, in msgSerial order, even though the engine may complete them out of
 * order. After a resume the client resends unacknowledged messages with their old serials: those already seen are
 * answered again (from the remembered result) and never published twice. Confined to the session's loop.
 */
final class PublishQueue {
    private static final class Pending {
        final long msgSerial;
        /** The ACK or NACK, once the publish is done. */
        @Nullable
        ProtocolMessage result;

        Pending(long msgSerial) {
            this.msgSerial = msgSerial;
        }
    }

    private final Session session;
    /** Small at first (most connections never publish, or one at a time); it grows as publishes overlap. */
    private final ArrayDeque<Pending> pending = new ArrayDeque<>(1);

    private final RecentAnswers results = new RecentAnswers();
    /** OBJECT publishes, made by the first one (most connections never send any). */
    private @Nullable ObjectPublisher objects;

    private long nextMsgSerial;
    /** Completed when no publish is in flight any more (graceful drain). */
    private @Nullable CompletableFuture<Void> whenSettled;

    PublishQueue(Session session) {
        this.session = session;
    }

    private ObjectPublisher objects() {
        ObjectPublisher o = objects;
        if (o == null) {
            o = objects = new ObjectPublisher(session);
        }
        return o;
    }

    void clear() {
        pending.clear();
        settled();
    }

    /** A stage completed once every publish received so far has its ACK or NACK sent. */
    CompletableFuture<Void> settledStage() {
        CompletableFuture<Void> stage = whenSettled;
        if (stage == null) {
            stage = new CompletableFuture<>();
            whenSettled = stage;
        }
        settled();
        return stage;
    }

    private void settled() {
        if (whenSettled != null && pending.isEmpty()) {
            whenSettled.complete(null);
        }
    }

    /** Handles one MESSAGE, PRESENCE, ANNOTATION or OBJECT from the client. */
    void submit(ProtocolMessage pm) {
        Long serial = pm.msgSerial;
        if (serial != null && serial < nextMsgSerial) {
            answerDuplicate(serial);
            return;
        }
        Pending p = null;
        if (serial != null) {
            nextMsgSerial = serial + 1;
            p = new Pending(serial);
            pending.addLast(p);
        }
        final Pending entry = p;
        long started = System.nanoTime();
        CompletionStage<ProtocolMessage> result = Stages.guard(() -> switch (pm.action) {
            case Action.MESSAGE -> publishMessages(pm);
            case Action.ANNOTATION -> publishAnnotations(pm);
            case Action.OBJECT ->
                objects()
                        .publish(pm)
                        .thenCompose(o -> afterOwnEcho(pm.channel, o))
                        .thenApply(o -> ack(pm.msgSerial, o.serials()));
            default -> publishPresence(pm);
        });
        result.whenComplete((ack, failure) -> session.loop.run(() -> {
            if (entry == null) {
                return;
            }
            if (failure != null) {
                ErrorInfo error = AblyException.errorOf(failure);
                session.services.observer().publishRefused(error);
                entry.result = nack(entry.msgSerial, error);
            } else {
                entry.result = ack;
                session.services.observer().publishLatency(System.nanoTime() - started);
            }
            flush();
        }));
    }

    /** The longest an OBJECT publish's ACK waits for the publisher's own echo. */
    static final long ECHO_WAIT_MS = 2_000;

    /**
     * An OBJECT publish is ACKed once the publisher's own attachment to the channel (if any) has been sent the
     * operation's event, so the publisher always gets its echo before the ACK. ably-js applies its operations on the
     * ACK either way, but code that acts on the ACK may expect the echo to be in (ably-js's own LiveObjects tests
     * do). The wait ends at once when the connection is not attached or the attachment stops, and after
     * {@link #ECHO_WAIT_MS} at most.
     */
    private CompletionStage<PublishOutcome> afterOwnEcho(@Nullable String channel, PublishOutcome o) {
        io.herald.core.engine.ChannelSerial serial = o.serial();
        if (serial == null || channel == null) {
            return CompletableFuture.completedFuture(o);
        }
        CompletableFuture<PublishOutcome> done = new CompletableFuture<>();
        session.loop.run(() -> {
            Attachment att = session.attachment(channel);
            if (att == null) {
                done.complete(o);
            } else {
                att.afterSent(serial, () -> done.complete(o));
            }
        });
        return done.completeOnTimeout(o, ECHO_WAIT_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** NACKs a publish without processing it (rate limit). */
    void rejectNow(ProtocolMessage pm, ErrorInfo error) {
        Long serial = pm.msgSerial;
        if (serial == null) {
            return;
        }
        if (serial < nextMsgSerial) {
            answerDuplicate(serial);
            return;
        }
        nextMsgSerial = serial + 1;
        session.services.observer().publishRefused(error);
        Pending p = new Pending(serial);
        p.result = nack(serial, error);
        pending.addLast(p);
        flush();
    }

    void rejectUnsupported(ProtocolMessage pm) {
        rejectNow(pm, ErrorCode.BAD_REQUEST.info(Action.name(pm.action) + " is not supported by this server"));
    }

    private void answerDuplicate(long serial) {
        ProtocolMessage known = results.get(serial);
        if (known != null) {
            session.send(known);
            return;
        }
        for (Pending p : pending) {
            if (p.msgSerial == serial) {
                return;
            }
        }
        session.send(ack(serial, null));
    }

    private void flush() {
        while (!pending.isEmpty()) {
            Pending p = pending.getFirst();
            ProtocolMessage result = p.result;
            if (result == null) {
                break;
            }
            pending.removeFirst();
            results.put(p.msgSerial, result);
            session.send(result);
        }
        settled();
    }

    static ProtocolMessage nack(long serial, ErrorInfo error) {
        ProtocolMessage nack = new ProtocolMessage(Action.NACK);
        nack.msgSerial = serial;
        nack.count = 1;
        nack.error = error;
        return nack;
    }

    static ProtocolMessage ack(@Nullable Long serial, @Nullable List<String> serials) {
        ProtocolMessage ack = new ProtocolMessage(Action.ACK);
        ack.msgSerial = serial;
        ack.count = 1;
        if (serials != null) {
            ack.res = List.of(new PublishResult(serials));
        }
        return ack;
    }

    private CompletionStage<ProtocolMessage> publishMessages(ProtocolMessage pm) {
        ChannelName name = ChannelName.parse(pm.channel);
        if (name.filter() != null) {
            throw new AblyException(
                    ErrorCode.BAD_REQUEST,
                    "Cannot publish to a derived (filtered) channel; " + "publish to " + name.base() + " instead");
        }
        List<Message> maybeOps = pm.messages;
        if (maybeOps != null && MessageOperations.carriesOperation(maybeOps)) {
            return operate(pm, maybeOps, name);
        }
        MessageRules.checkNotMeta(name, "publish");
        if (!session.allows(name.base(), Operations.PUBLISH)) {
            throw new AblyException(ErrorCode.OPERATION_NOT_PERMITTED, session.denial(name.base(), "publish"));
        }
        Attachment att = session.attachment(name.full());
        if (att != null && att.requestedModes != 0 && !att.hasMode(Flags.MODE_PUBLISH)) {
            throw new AblyException(
                    ErrorCode.MODE_NOT_REQUESTED,
                    "Operation not permitted: channel '" + name.full() + "' was attached without the PUBLISH mode");
        }
        if (pm.messages == null || pm.messages.isEmpty()) {
            throw new AblyException(ErrorCode.BAD_REQUEST, "MESSAGE without messages");
        }
        MessageRules.checkSize(pm.messages, session.limits().maxMessageSize());
        long now = session.now();
        String prefix = session.connectionId + ":" + (pm.msgSerial == null ? 0 : pm.msgSerial);
        boolean idempotent = MessageRules.complete(pm.messages, session.publisher(name.base()), prefix, now);
        ProtocolMessage event = ProtocolMessage.of(Action.MESSAGE, name.base());
        event.id = prefix;
        event.connectionId = session.connectionId;
        event.timestamp = now;
        event.messages = pm.messages;
        ChannelId id = new ChannelId(session.appId(), name.base());
        PublishRequest request =
                new PublishRequest(id, event, session.services.channels().retention(session.appId(), name), idempotent);
        Long serial = pm.msgSerial;
        CompletionStage<Void> afterAttach = att == null ? Stages.done() : att.positioned;
        return afterAttach.thenCompose(v -> publish(request, serial));
    }

    /** An update, delete or append of an earlier message (docs/protocol.md §7.8); ACKed with the version serial. */
    private CompletionStage<ProtocolMessage> operate(ProtocolMessage pm, List<Message> messages, ChannelName name) {
        Long serial = pm.msgSerial;
        var caller = new MessageOperations.Caller(
                session.publisher(name.base()), op -> session.allows(name.base(), op), session.connectionId);
        return MessageOperations.perform(
                        session.services.engine(),
                        session.services.channels(),
                        session.appId(),
                        name,
                        messages,
                        caller,
                        session.limits().maxMessageSize(),
                        session.now(),
                        session.connectionId + ":" + (serial == null ? 0 : serial))
                .thenApply(o -> ack(serial, o.serials()));
    }

    /** Annotations of earlier messages (docs/protocol.md §7.10); ACKed with the annotations' serials. */
    private CompletionStage<ProtocolMessage> publishAnnotations(ProtocolMessage pm) {
        ChannelName name = ChannelName.parse(pm.channel);
        Attachment att = session.attachment(name.full());
        // as for messages: without the capability the answer is 40160 (from the publisher); with it, the mode
        if (att != null
                && att.requestedModes != 0
                && !att.hasMode(Flags.MODE_ANNOTATION_PUBLISH)
                && session.allows(name.base(), Operations.ANNOTATION_PUBLISH)) {
            throw new AblyException(
                    ErrorCode.MODE_NOT_REQUESTED,
                    "Operation not permitted: channel '" + name.full()
                            + "' was attached without the ANNOTATION_PUBLISH mode");
        }
        Long serial = pm.msgSerial;
        var caller =
                new AnnotationPublisher.Caller(session.publisher(name.base()), op -> session.allows(name.base(), op));
        CompletionStage<Void> afterAttach = att == null ? Stages.done() : att.positioned;
        return afterAttach
                .thenCompose(v -> AnnotationPublisher.publish(
                        session.services.engine(),
                        session.services.channels(),
                        session.appId(),
                        name,
                        pm.annotations,
                        null,
                        caller,
                        session.limits().maxMessageSize(),
                        session.now(),
                        session.connectionId + ":" + (serial == null ? 0 : serial)))
                .thenApply(serials -> ack(serial, serials));
    }

    private CompletionStage<ProtocolMessage> publish(PublishRequest request, @Nullable Long serial) {
        long t0 = System.nanoTime();
        return session.services
                .engine()
                .broker()
                .publish(request)
                .whenComplete(
                        (o, t) -> session.services.observer().engineCall("publish", System.nanoTime() - t0, t == null))
                .thenApply(o -> ack(serial, o.serials()));
    }

    private CompletionStage<ProtocolMessage> publishPresence(ProtocolMessage pm) {
        ChannelName name = ChannelName.parse(pm.channel);
        if (name.filter() != null) {
            throw new AblyException(ErrorCode.BAD_REQUEST, "Cannot enter presence on a derived (filtered) channel");
        }
        MessageRules.checkNotMeta(name, "presence");
        if (!session.allows(name.base(), Operations.PRESENCE)) {
            throw new AblyException(ErrorCode.OPERATION_NOT_PERMITTED, session.denial(name.base(), "presence"));
        }
        Attachment att = session.attachment(name.full());
        if (att == null || att.state == Attachment.State.DETACHED) {
            throw new AblyException(
                    ErrorCode.PRESENCE_INVALID_STATE,
                    "Unable to enter presence channel '" + name.full() + "': the channel is not attached");
        }
        if (att.requestedModes != 0 && !att.hasMode(Flags.MODE_PRESENCE)) {
            throw new AblyException(
                    ErrorCode.MODE_NOT_REQUESTED,
                    "Operation not permitted: channel '" + name.full() + "' was attached without the PRESENCE mode");
        }
        List<PresenceMessage> events = pm.presence == null ? List.of() : pm.presence;
        MessageRules.checkPresenceSize(events, session.limits().maxMessageSize());
        long now = session.now();
        String prefix = session.connectionId + ":" + (pm.msgSerial == null ? 0 : pm.msgSerial);
        PresenceRules.complete(events, session.publisher(name.base()), prefix, now);
        ProtocolMessage event = ProtocolMessage.of(Action.PRESENCE, name.base());
        event.id = prefix;
        event.connectionId = session.connectionId;
        event.timestamp = now;
        event.presence = events;
        ChannelId id = att.id;
        PublishRequest request =
                new PublishRequest(id, event, session.services.channels().retention(session.appId(), name), false);
        Long serial = pm.msgSerial;
        CompletionStage<PresenceSnapshot> limitCheck = needsLimitCheck(events, att)
                ? session.services.engine().presence().members(id)
                : CompletableFuture.completedFuture((PresenceSnapshot) null);
        return limitCheck
                .thenCompose(snapshot -> {
                    if (snapshot != null) {
                        checkMemberLimit(snapshot, events);
                    }
                    return session.services.engine().broker().publish(request);
                })
                .thenApply((PublishOutcome o) -> {
                    session.loop.run(() -> {
                        for (PresenceMessage p : events) {
                            if (p.action == PresenceMessage.LEAVE) {
                                att.ownMemberLeft(p.clientId);
                            } else {
                                att.ownMemberPresent(p.clientId, p, false);
                            }
                        }
                    });
                    return ack(serial, null);
                });
    }

    /** Whether an event may add a member: an ENTER, or an UPDATE (or PRESENT) of one not present, enters (RTP8). */
    private static boolean needsLimitCheck(List<PresenceMessage> events, Attachment att) {
        for (PresenceMessage p : events) {
            if (p.action != PresenceMessage.LEAVE && !att.isOwnMember(p.clientId)) {
                return true;
            }
        }
        return false;
    }

    private void checkMemberLimit(PresenceSnapshot snapshot, List<PresenceMessage> events) {
        int max = session.limits().maxPresenceMembers();
        Set<String> keys = new HashSet<>();
        for (PresenceMessage m : snapshot.members()) {
            keys.add(m.memberKey());
        }
        List<String> added = new ArrayList<>();
        for (PresenceMessage p : events) {
            if (p.action != PresenceMessage.LEAVE && keys.add(p.memberKey())) {
                added.add(p.clientId);
            }
        }
        if (!added.isEmpty() && keys.size() > max) {
            throw new AblyException(
                    ErrorCode.PRESENCE_MEMBER_LIMIT_EXCEEDED,
                    "Maximum number of presence members (" + max + ") on the channel exceeded; "
                            + String.join(", ", added) + " cannot enter");
        }
    }
}
