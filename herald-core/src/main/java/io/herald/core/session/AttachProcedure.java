package io.herald.core.session;

import io.herald.core.engine.ChannelEvent;
import io.herald.core.engine.ChannelSerial;
import io.herald.core.engine.ObjectsSnapshot;
import io.herald.core.engine.PresenceSnapshot;
import io.herald.core.engine.Replay;
import io.herald.core.internal.AblyException;
import io.herald.core.presence.PresenceRules;
import io.herald.protocol.Action;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.Flags;
import io.herald.protocol.PresenceMessage;
import io.herald.protocol.ProtocolMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one ATTACH (docs/protocol.md §6.1-§6.3, §8.2): subscribes the attachment (buffering), reads the
 * channel's position and presence set, and the missed events when the client names a channelSerial (resume) or a
 * {@code rewind} param, and the channel's objects with OBJECT_SUBSCRIBE, then sends ATTACHED (RESUMED when nothing was
 * lost, HAS_PRESENCE before a SYNC, HAS_OBJECTS before an OBJECT_SYNC), the OBJECT_SYNC and SYNC pages, the replayed
 * messages, and goes live.
 */
final class AttachProcedure {
    private static final Logger LOG = LoggerFactory.getLogger(AttachProcedure.class);
    /** Most events replayed on a resumed attach; more missed means continuity is lost. */
    static final int MAX_REPLAY = 1_000;

    private final Session session;
    private final Attachment att;
    private final @Nullable String clientSerial;
    private final int generation;
    private final boolean attachResume;
    /** The channel was already attached on this connection: a repeated ATTACH loses nothing (RESUMED, RTL12). */
    private final boolean reattach;

    AttachProcedure(Session session, Attachment att, @Nullable String clientSerial, boolean attachResume) {
        this.session = session;
        this.att = att;
        this.clientSerial = clientSerial;
        this.attachResume = attachResume;
        this.reattach = att.state == Attachment.State.ATTACHED;
        this.generation = ++att.generation;
    }

    /** What the attach read: the presence set when it was asked for, the missed events on a resume or rewind. */
    private record Reads(
            @Nullable PresenceSnapshot presence,
            ChannelSerial position,
            @Nullable Replay replay,
            @Nullable ObjectsSnapshot objects) {
        Reads(@Nullable PresenceSnapshot presence, ChannelSerial position, @Nullable Replay replay) {
            this(presence, position, replay, null);
        }

        Reads withObjects(ObjectsSnapshot snapshot) {
            return new Reads(presence, position, replay, snapshot);
        }
    }

    void start() {
        att.startBuffering();
        CompletableFuture<Void> positioned = new CompletableFuture<>();
        att.positioned.complete(null);
        att.positioned = positioned;
        CompletionStage<Void> subscribed;
        if (att.inHub) {
            subscribed = CompletableFuture.completedFuture(null);
        } else {
            att.inHub = true;
            subscribed = session.services.hub().add(att.id, att);
        }
        var engine = session.services.engine();
        boolean wantsPresence = att.hasMode(Flags.MODE_PRESENCE_SUBSCRIBE) || att.hasOwnMembers();
        boolean wantsObjects = att.hasMode(Flags.MODE_OBJECT_SUBSCRIBE)
                && att.name.filter() == null
                && engine.objects().supported();
        subscribed
                .thenCompose(v -> wantsPresence
                        ? engine.presence().members(att.id).thenApply(p -> new Reads(p, p.position(), null))
                        : engine.broker().position(att.id).thenApply(pos -> new Reads(null, pos, null)))
                .thenCompose(reads -> {
                    ChannelSerial from = ChannelSerial.parse(clientSerial);
                    if (from != null) {
                        return engine.history()
                                .since(att.id, from, MAX_REPLAY)
                                .thenApply(r -> new Reads(reads.presence, reads.position, r));
                    }
                    Rewind rewind = attachResume ? null : Rewind.parse(att.params.get("rewind"));
                    if (rewind != null) {
                        return engine.history()
                                .rewind(att.id, rewind.count(), rewind.millis())
                                .thenApply(io.herald.core.history.Ephemeral::withoutEphemeral)
                                // on a mutable channel, each message as it stands now (docs/protocol.md §7.8)
                                .thenCompose(r -> session.services.channels().isMutable(session.appId(), att.name)
                                        ? io.herald.core.engine.Versions.latest(engine.history(), att.id, r)
                                        : CompletableFuture.completedFuture(r))
                                .thenApply(r -> new Reads(reads.presence, reads.position, r));
                    }
                    return CompletableFuture.completedFuture(reads);
                })
                // the objects after the position: an operation both in them and delivered after ATTACHED is skipped
                // by the client, which remembers each object's last serial
                .thenCompose(reads -> wantsObjects
                        ? engine.objects().snapshot(att.id).thenApply(reads::withObjects)
                        : CompletableFuture.completedFuture(reads))
                .whenComplete((reads, failure) -> session.loop.run(() -> {
                    try {
                        if (att.generation != generation || session.isClosed()) {
                            return;
                        }
                        if (failure != null) {
                            fail(failure);
                        } else {
                            complete(reads);
                        }
                    } finally {
                        positioned.complete(null);
                        if (att.positioned == positioned) {
                            // the shared completed stage from now on, so an attached channel keeps no future of its own
                            att.positioned = io.herald.core.internal.Stages.done();
                        }
                    }
                }));
    }

    private void fail(Throwable failure) {
        LOG.debug("attach {} failed: {}", att.id, failure.toString());
        att.drop(false);
        session.sendChannelError(
                att.name.full(),
                AblyException.isExpected(failure)
                        ? AblyException.errorOf(failure)
                        : ErrorCode.INTERNAL_CHANNEL_ERROR.info("Unable to attach to channel " + att.name.full()));
    }

    private void complete(Reads reads) {
        boolean resuming = ChannelSerial.parse(clientSerial) != null;
        Replay replay = reads.replay;
        int flags = att.modes;
        ChannelSerial attachSerial = reads.position;
        if (replay != null
                && replay.position().seq() > attachSerial.seq()
                && replay.position().epoch().equals(attachSerial.epoch())) {
            attachSerial = replay.position();
        }
        if ((resuming && replay != null && replay.continuous()) || (!resuming && reattach)) {
            flags |= Flags.RESUMED;
        }
        if (!resuming && replay != null && !replay.events().isEmpty()) {
            flags |= Flags.HAS_BACKLOG;
        }
        PresenceSnapshot presence = reads.presence;
        List<PresenceMessage> members = presence == null ? List.of() : presence.members();
        boolean hasMembers = !members.isEmpty() && att.hasMode(Flags.MODE_PRESENCE_SUBSCRIBE);
        if (hasMembers) {
            flags |= Flags.HAS_PRESENCE;
        }
        ObjectsSnapshot objects = reads.objects;
        if (objects != null) {
            flags |= Flags.HAS_OBJECTS;
        }
        ProtocolMessage attached = ProtocolMessage.of(Action.ATTACHED, att.name.full());
        attached.flags = flags;
        attached.channelSerial = attachSerial.toString();
        if (!att.params.isEmpty()) {
            attached.params = att.params;
        }
        session.send(attached);
        if (objects != null) {
            for (ProtocolMessage page : ObjectPublisher.syncPages(
                    att.name.full(), objects, session.limits().maxMessageSize())) {
                session.send(page);
            }
        }
        if (hasMembers) {
            for (ProtocolMessage page : PresenceRules.syncPages(att.name.full(), members)) {
                session.send(page);
            }
        }
        for (PresenceMessage member : members) {
            if (session.connectionId.equals(member.connectionId)) {
                att.ownMemberPresent(member.clientId, member, true);
            }
        }
        att.presenceWatermark = presence != null ? presence.position().seq() : reads.position.seq();
        att.epoch = null;
        if (replay != null && !replay.events().isEmpty()) {
            att.messageWatermark = replay.events().get(0).seq() - 1;
            for (ChannelEvent e : replay.events()) {
                if (e.action() == Action.MESSAGE) {
                    att.send(e);
                }
            }
        }
        att.messageWatermark = Math.max(att.messageWatermark, attachSerial.seq());
        att.presenceWatermark = Math.max(att.presenceWatermark, attachSerial.seq());
        att.epoch = attachSerial.epoch();
        att.goLive();
    }

    /** The {@code rewind} channel param: a message count ({@code 10}) or a duration ({@code 30s}, {@code 2m}). */
    record Rewind(int count, long millis) {
        static @Nullable Rewind parse(@Nullable String v) {
            if (v == null || v.isEmpty()) {
                return null;
            }
            try {
                char unit = v.charAt(v.length() - 1);
                if (Character.isDigit(unit)) {
                    int n = Integer.parseInt(v);
                    return n <= 0 ? null : new Rewind(Math.min(n, 100), 0);
                }
                long n = Long.parseLong(v.substring(0, v.length() - 1));
                long ms = switch (unit) {
                    case 's' -> n * 1000;
                    case 'm' -> n * 60_000;
                    case 'h' -> n * 3_600_000;
                    default -> -1;
                };
                return ms <= 0 ? null : new Rewind(100, ms);
            } catch (NumberFormatException e) {
                throw new AblyException(ErrorCode.INVALID_CHANNEL_PARAMETER, "Invalid rewind param '" + v + "'");
            }
        }
    }
}
