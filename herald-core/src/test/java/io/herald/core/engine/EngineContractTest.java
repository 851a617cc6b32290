package io.herald.core.engine;

import static io.herald.core.testing.TestEvents.messages;
import static io.herald.core.testing.TestEvents.presence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.core.config.CoreConfig;
import io.herald.core.config.Limits;
import io.herald.core.config.Timings;
import io.herald.protocol.Message;
import io.herald.protocol.PresenceMessage;
import io.herald.protocol.ProtocolMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every engine must have (docs/architecture.md §3: one contract suite over every backend). Subclasses provide the
 * engine; events are awaited with timeouts, never with sleeps.
 */
public abstract class EngineContractTest {
    protected static final Duration RETENTION = Duration.ofMinutes(2);

    protected Engine engine;
    protected final BlockingQueue<ChannelEvent> events = new LinkedBlockingQueue<>();
    protected final BlockingQueue<Revocation> revocations = new LinkedBlockingQueue<>();
    private final AtomicInteger concurrent = new AtomicInteger();
    private final AtomicBoolean overlapped = new AtomicBoolean();
    protected String app;

    /** A fresh engine for one test. */
    protected abstract Engine createEngine(EngineContext context);

    protected CoreConfig config() {
        return new CoreConfig("test", Limits.DEFAULTS, Timings.DEFAULTS, false, List.of());
    }

    @BeforeEach
    void startEngine() {
        app = "app" + UUID.randomUUID().toString().substring(0, 8);
        engine = createEngine(new EngineContext(config(), Clock.systemUTC(), "node-" + app, Map.of()));
        engine.start(new EngineListener() {
            @Override
            public void onChannelEvent(ChannelEvent event) {
                if (concurrent.incrementAndGet() > 1) {
                    overlapped.set(true);
                }
                events.add(event);
                concurrent.decrementAndGet();
            }

            @Override
            public void onRevocation(Revocation revocation) {
                revocations.add(revocation);
            }
        });
    }

    @AfterEach
    void stopEngine() {
        engine.close();
    }

    protected ChannelId channel(String name) {
        return new ChannelId(app, name);
    }

    protected PublishOutcome publish(ChannelId ch, ProtocolMessage pm) throws Exception {
        return engine.broker()
                .publish(new PublishRequest(ch, pm, RETENTION, false))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    protected ChannelEvent nextEvent() throws InterruptedException {
        ChannelEvent e = events.poll(10, TimeUnit.SECONDS);
        assertThat(e).as("an event within 10 s").isNotNull();
        return e;
    }

    protected <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void publish_subscribedChannel_deliversEventsInSerialOrder() throws Exception {
        ChannelId ch = channel("orders");
        await(engine.broker().subscribe(ch));
        PublishOutcome a = publish(ch, messages(ch.name(), "a"));
        PublishOutcome b = publish(ch, messages(ch.name(), "b", "c"));
        assertThat(b.serial().seq()).isGreaterThan(a.serial().seq());
        assertThat(b.serials()).hasSize(2).doesNotContainNull();
        ChannelEvent first = nextEvent();
        ChannelEvent second = nextEvent();
        assertThat(first.serial()).isEqualTo(a.serial());
        assertThat(second.serial()).isEqualTo(b.serial());
        assertThat(second.message().channelSerial).isEqualTo(b.serial().toString());
        assertThat(second.message().messages).extracting(m -> m.data).containsExactly("b", "c");
        assertThat(second.message().messages.get(1).serial)
                .isEqualTo(b.serials().get(1));
    }

    @Test
    void publish_unsubscribedChannel_deliversNothingToThisNode() throws Exception {
        ChannelId ch = channel("quiet");
        publish(ch, messages(ch.name(), "x"));
        ChannelId other = channel("marker");
        await(engine.broker().subscribe(other));
        publish(other, messages(other.name(), "m"));
        assertThat(nextEvent().channel()).isEqualTo(other);
    }

    @Test
    void unsubscribe_afterSubscribe_stopsDelivery() throws Exception {
        ChannelId ch = channel("toggle");
        await(engine.broker().subscribe(ch));
        publish(ch, messages(ch.name(), "1"));
        assertThat(nextEvent().channel()).isEqualTo(ch);
        await(engine.broker().unsubscribe(ch));
        publish(ch, messages(ch.name(), "2"));
        ChannelId marker = channel("marker2");
        await(engine.broker().subscribe(marker));
        publish(marker, messages(marker.name(), "m"));
        assertThat(nextEvent().channel()).isEqualTo(marker);
    }

    @Test
    void publish_duplicateClientIdWithDedupe_isDroppedWithNullSerial() throws Exception {
        ChannelId ch = channel("idem");
        ProtocolMessage first = messages(ch.name(), "once");
        first.messages.get(0).id = "client-chosen-id";
        PublishOutcome o1 = await(engine.broker().publish(new PublishRequest(ch, first, RETENTION, true)));
        ProtocolMessage again = messages(ch.name(), "once");
        again.messages.get(0).id = "client-chosen-id";
        PublishOutcome o2 = await(engine.broker().publish(new PublishRequest(ch, again, RETENTION, true)));
        assertThat(o1.serial()).isNotNull();
        assertThat(o2.serial()).isNull();
        assertThat(o2.serials()).containsExactly((String) null);
        HistoryPage page = await(engine.history()
                .query(ch, new HistoryQuery(HistoryQuery.Kind.MESSAGES, null, null, 100, true, null, null)));
        assertThat(page.items()).hasSize(1);
    }

    @Test
    void history_pagesBackwardsAndForwards_withCursors() throws Exception {
        ChannelId ch = channel("hist");
        for (int i = 0; i < 5; i++) {
            publish(ch, messages(ch.name(), "m" + i));
        }
        publish(ch, presence(ch.name(), PresenceMessage.ENTER, "alice", "c9"));
        HistoryPage back1 = await(engine.history()
                .query(ch, new HistoryQuery(HistoryQuery.Kind.MESSAGES, null, null, 2, false, null, null)));
        assertThat(back1.items()).extracting(i -> ((Message) i.item()).data).containsExactly("m4", "m3");
        assertThat(back1.hasMore()).isTrue();
        HistoryPage back2 = await(engine.history()
                .query(
                        ch,
                        new HistoryQuery(
                                HistoryQuery.Kind.MESSAGES,
                                null,
                                null,
                                2,
                                false,
                                null,
                                back1.items().get(1).cursor())));
        assertThat(back2.items()).extracting(i -> ((Message) i.item()).data).containsExactly("m2", "m1");
        HistoryPage fwd = await(engine.history()
                .query(ch, new HistoryQuery(HistoryQuery.Kind.MESSAGES, null, null, 10, true, null, null)));
        assertThat(fwd.items())
                .extracting(i -> ((Message) i.item()).data)
                .containsExactly("m0", "m1", "m2", "m3", "m4");
        assertThat(fwd.hasMore()).isFalse();
        HistoryPage pres = await(engine.history()
                .query(ch, new HistoryQuery(HistoryQuery.Kind.PRESENCE, null, null, 10, true, null, null)));
        assertThat(pres.items()).hasSize(1);
        assertThat(((PresenceMessage) pres.items().get(0).item()).clientId).isEqualTo("alice");
    }

    @Test
    void history_untilSerial_excludesLaterEvents() throws Exception {
        ChannelId ch = channel("until");
        publish(ch, messages(ch.name(), "before"));
        ChannelSerial attach = await(engine.broker().position(ch));
        publish(ch, messages(ch.name(), "after"));
        HistoryPage page = await(engine.history()
                .query(ch, new HistoryQuery(HistoryQuery.Kind.MESSAGES, null, null, 10, false, attach, null)));
        assertThat(page.items()).extracting(i -> ((Message) i.item()).data).containsExactly("before");
    }

    @Test
    void since_positionInLog_returnsExactlyTheMissedEvents() throws Exception {
        ChannelId ch = channel("resume");
        publish(ch, messages(ch.name(), "seen"));
        ChannelSerial seen = await(engine.broker().position(ch));
        publish(ch, messages(ch.name(), "missed1"));
        publish(ch, messages(ch.name(), "missed2"));
        Replay r = await(engine.history().since(ch, seen, 100));
        assertThat(r.continuous()).isTrue();
        assertThat(r.events()).extracting(e -> e.message().messages.get(0).data).containsExactly("missed1", "missed2");
        Replay none = await(engine.history().since(ch, r.position(), 100));
        assertThat(none.continuous()).isTrue();
        assertThat(none.events()).isEmpty();
    }

    @Test
    void since_unknownEpochOrTooManyMissed_isNotContinuous() throws Exception {
        ChannelId ch = channel("gap");
        publish(ch, messages(ch.name(), "a"));
        ChannelSerial start = await(engine.broker().position(ch));
        publish(ch, messages(ch.name(), "b"));
        publish(ch, messages(ch.name(), "c"));
        assertThat(await(engine.history().since(ch, new ChannelSerial("otherEpoch", 1), 100))
                        .continuous())
                .isFalse();
        assertThat(await(engine.history().since(ch, start, 1)).continuous()).isFalse();
    }

    @Test
    void rewind_lastMessages_oldestFirst() throws Exception {
        ChannelId ch = channel("rewind");
        for (int i = 0; i < 4; i++) {
            publish(ch, messages(ch.name(), "r" + i));
        }
        Replay r = await(engine.history().rewind(ch, 2, 0));
        assertThat(r.events()).extracting(e -> e.message().messages.get(0).data).containsExactly("r2", "r3");
    }

    @Test
    void presence_enterUpdateLeave_foldIntoMembers() throws Exception {
        ChannelId ch = channel("pres");
        publish(ch, presence(ch.name(), PresenceMessage.ENTER, "alice", "c1"));
        publish(ch, presence(ch.name(), PresenceMessage.ENTER, "bob", "c2"));
        publish(ch, presence(ch.name(), PresenceMessage.UPDATE, "alice", "c1"));
        PresenceSnapshot s = await(engine.presence().members(ch));
        assertThat(s.members()).extracting(m -> m.clientId).containsExactlyInAnyOrder("alice", "bob");
        assertThat(s.members()).allMatch(m -> m.action == PresenceMessage.PRESENT);
        publish(ch, presence(ch.name(), PresenceMessage.LEAVE, "alice", "c1"));
        PresenceSnapshot after = await(engine.presence().members(ch));
        assertThat(after.members()).extracting(m -> m.clientId).containsExactly("bob");
        assertThat(after.position().seq()).isGreaterThan(s.position().seq());
    }

    @Test
    void nonce_claimedTwice_secondIsRefused() throws Exception {
        Instant until = Instant.now().plusSeconds(60);
        assertThat(await(engine.nonces().claim(app + ".k", "1234567890123456", until)))
                .isTrue();
        assertThat(await(engine.nonces().claim(app + ".k", "1234567890123456", until)))
                .isFalse();
        assertThat(await(engine.nonces().claim(app + ".other", "1234567890123456", until)))
                .isTrue();
    }

    @Test
    void revocation_added_isListedAndAnnounced() throws Exception {
        long now = System.currentTimeMillis();
        Revocation r = new Revocation(app + ".k", "clientId", "alice", now, now, now + 3_600_000);
        await(engine.revocations().add(r));
        Revocation seen = revocations.poll(10, TimeUnit.SECONDS);
        assertThat(seen).isEqualTo(r);
        assertThat(engine.revocations().forKey(app + ".k")).contains(r);
        assertThat(engine.revocations().forKey(app + ".none")).isEmpty();
    }

    @Test
    void position_emptyChannel_isStableAndContinuedByThePublish() throws Exception {
        ChannelId ch = channel("empty");
        ChannelSerial first = await(engine.broker().position(ch));
        assertThat(first.seq()).isZero();
        assertThat(await(engine.broker().position(ch))).isEqualTo(first);
        PublishOutcome o = publish(ch, messages(ch.name(), "x"));
        assertThat(o.serial().epoch()).isEqualTo(first.epoch());
        Replay r = await(engine.history().since(ch, first, 100));
        assertThat(r.continuous()).isTrue();
        assertThat(r.events()).extracting(ChannelEvent::serial).containsExactly(o.serial());
    }

    @Test
    void presence_members_reflectTheLogPositionOfTheLastChange() throws Exception {
        ChannelId ch = channel("prespos");
        publish(ch, messages(ch.name(), "before"));
        PublishOutcome enter = publish(ch, presence(ch.name(), PresenceMessage.ENTER, "carol", "c3"));
        PresenceSnapshot s = await(engine.presence().members(ch));
        assertThat(s.position()).isEqualTo(enter.serial());
        assertThat(s.members()).singleElement().satisfies(m -> {
            assertThat(m.clientId).isEqualTo("carol");
            assertThat(m.connectionId).isEqualTo("c3");
            assertThat(m.data).isEqualTo("d-carol");
            assertThat(m.action).isEqualTo(PresenceMessage.PRESENT);
        });
    }

    @Test
    void presence_sameClientOnTwoConnections_leaveRemovesOnlyThatConnectionsMember() throws Exception {
        ChannelId ch = channel("twoconns");
        publish(ch, presence(ch.name(), PresenceMessage.ENTER, "dave", "c1"));
        publish(ch, presence(ch.name(), PresenceMessage.ENTER, "dave", "c2"));
        publish(ch, presence(ch.name(), PresenceMessage.LEAVE, "dave", "c1"));
        PresenceSnapshot s = await(engine.presence().members(ch));
        assertThat(s.members()).extracting(m -> m.connectionId).containsExactly("c2");
    }

    @Test
    void publish_someDuplicates_keepsTheOthersWithConsecutiveSerials() throws Exception {
        ChannelId ch = channel("partial");
        await(engine.broker().subscribe(ch));
        ProtocolMessage first = messages(ch.name(), "a");
        first.messages.get(0).id = "dup-1";
        await(engine.broker().publish(new PublishRequest(ch, first, RETENTION, true)));
        ProtocolMessage mixed = messages(ch.name(), "a-again", "b", "c");
        mixed.messages.get(0).id = "dup-1";
        mixed.messages.get(1).id = "new-2";
        mixed.messages.get(2).id = "new-3";
        PublishOutcome o = await(engine.broker().publish(new PublishRequest(ch, mixed, RETENTION, true)));
        assertThat(o.serials()).hasSize(3);
        assertThat(o.serials().get(0)).isNull();
        assertThat(o.serials().get(1)).isEqualTo(o.serial().messageSerial(0));
        assertThat(o.serials().get(2)).isEqualTo(o.serial().messageSerial(1));
        nextEvent();
        ChannelEvent e = nextEvent();
        assertThat(e.serial()).isEqualTo(o.serial());
        assertThat(e.message().messages).extracting(m -> m.data).containsExactly("b", "c");
        assertThat(e.message().messages)
                .extracting(m -> m.serial)
                .containsExactly(o.serials().get(1), o.serials().get(2));
    }

    @Test
    void publish_aDuplicateAfterKeptMessages_keepsThoseBeforeAndAfterIt() throws Exception {
        ChannelId ch = channel("partial-middle");
        await(engine.broker().subscribe(ch));
        ProtocolMessage first = messages(ch.name(), "x");
        first.messages.get(0).id = "dup-2";
        await(engine.broker().publish(new PublishRequest(ch, first, RETENTION, true)));
        ProtocolMessage mixed = messages(ch.name(), "a", "x-again", "b");
        mixed.messages.get(0).id = "new-a";
        mixed.messages.get(1).id = "dup-2";
        mixed.messages.get(2).id = "new-b";
        PublishOutcome o = await(engine.broker().publish(new PublishRequest(ch, mixed, RETENTION, true)));
        assertThat(o.serials())
                .containsExactly(o.serial().messageSerial(0), null, o.serial().messageSerial(1));
        nextEvent();
        ChannelEvent e = nextEvent();
        assertThat(e.message().messages).extracting(m -> m.data).containsExactly("a", "b");
    }

    @Test
    void rewind_byTime_returnsOnlyRecentMessages() throws Exception {
        ChannelId ch = channel("rewindtime");
        ProtocolMessage old = messages(ch.name(), "old");
        old.timestamp = System.currentTimeMillis() - 60_000;
        old.messages.get(0).timestamp = old.timestamp;
        publish(ch, old);
        publish(ch, messages(ch.name(), "new1"));
        publish(ch, presence(ch.name(), PresenceMessage.ENTER, "erin", "c5"));
        publish(ch, messages(ch.name(), "new2"));
        Replay r = await(engine.history().rewind(ch, 100, 30_000));
        assertThat(r.events()).extracting(e -> e.message().messages.get(0).data).containsExactly("new1", "new2");
        assertThat(r.position().seq()).isEqualTo(4);
    }

    @Test
    void history_startAndEnd_boundTheItems() throws Exception {
        ChannelId ch = channel("bounds");
        long base = System.currentTimeMillis() - 10_000;
        for (int i = 0; i < 5; i++) {
            ProtocolMessage pm = messages(ch.name(), "t" + i);
            pm.timestamp = base + i * 1_000L;
            pm.messages.get(0).timestamp = pm.timestamp;
            publish(ch, pm);
        }
        HistoryPage back = await(engine.history()
                .query(
                        ch,
                        new HistoryQuery(
                                HistoryQuery.Kind.MESSAGES, base + 1_000, base + 3_000, 10, false, null, null)));
        assertThat(back.items()).extracting(i -> ((Message) i.item()).data).containsExactly("t3", "t2", "t1");
        HistoryPage fwd = await(engine.history()
                .query(
                        ch,
                        new HistoryQuery(HistoryQuery.Kind.MESSAGES, base + 1_000, base + 3_000, 2, true, null, null)));
        assertThat(fwd.items()).extracting(i -> ((Message) i.item()).data).containsExactly("t1", "t2");
        assertThat(fwd.hasMore()).isTrue();
    }

    @Test
    void since_afterTheTrimmedPart_isNotContinuous() throws Exception {
        ChannelId ch = channel("short");
        ChannelSerial start = await(engine.broker().position(ch));
        ProtocolMessage pm = messages(ch.name(), "gone");
        long published = System.currentTimeMillis();
        await(engine.broker().publish(new PublishRequest(ch, pm, Duration.ofMillis(1), false)));
        while (System.currentTimeMillis() <= published + 5) {
            Thread.onSpinWait(); // let the 1 ms retention pass (time, not synchronization)
        }
        assertThat(await(engine.history().since(ch, start, 100)).continuous()).isFalse();
    }

    @Test
    void publish_concurrentPublishers_oneOrderNoOverlap() throws Exception {
        ChannelId ch = channel("race");
        await(engine.broker().subscribe(ch));
        int threads = 4;
        int perThread = 200;
        CountDownLatch done = new CountDownLatch(threads);
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                try {
                    for (int i = 0; i < perThread; i++) {
                        publish(ch, messages(ch.name(), "x"));
                    }
                } catch (Throwable e) {
                    failures.add(e);
                } finally {
                    done.countDown();
                }
            });
            th.start();
        }
        assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(failures).isEmpty();
        long last = 0;
        for (int i = 0; i < threads * perThread; i++) {
            ChannelEvent e = nextEvent();
            assertThat(e.seq()).isGreaterThan(last);
            last = e.seq();
        }
        assertThat(overlapped.get()).isFalse();
    }

    // ---- message versions: update, delete and append are events of the log (docs/protocol.md §7.8) ----

    private static ProtocolMessage operation(String channel, String serial, int action, String data) {
        Message m = new Message(null, data);
        m.action = action;
        m.serial = serial;
        m.clientId = "editor";
        m.version = Versions.version(null, "editor", 1_700_000_000_000L);
        ProtocolMessage pm = ProtocolMessage.of(io.herald.protocol.Action.MESSAGE, channel);
        pm.messages = new ArrayList<>(List.of(m));
        return pm;
    }

    @Test
    void publish_operation_deliveredWithOriginalSerialAndANewerVersionSerial() throws Exception {
        ChannelId ch = channel("mutable:ops");
        await(engine.broker().subscribe(ch));
        String serial = publish(ch, messages(ch.name(), "first")).serials().get(0);
        PublishOutcome op = publish(ch, operation(ch.name(), serial, Versions.UPDATE, "second"));
        nextEvent();
        ChannelEvent e = nextEvent();
        Message delivered = e.message().messages.get(0);
        assertThat(delivered.serial).isEqualTo(serial);
        assertThat(delivered.action).isEqualTo(Versions.UPDATE);
        assertThat(delivered.version.get("serial").asText())
                .isEqualTo(op.serials().get(0));
        assertThat(Versions.locate(op.serials().get(0)).position().seq())
                .isGreaterThan(Versions.locate(serial).position().seq());
        assertThat(delivered.version.get("clientId").asText()).isEqualTo("editor");
    }

    @Test
    void versions_afterUpdateAndAppends_foldInLogOrder() throws Exception {
        ChannelId ch = channel("mutable:fold");
        String serial = publish(ch, messages(ch.name(), "a", "zzz")).serials().get(0);
        publish(ch, messages(ch.name(), "unrelated"));
        publish(ch, operation(ch.name(), serial, Versions.APPEND, "b"));
        publish(ch, operation(ch.name(), serial, Versions.APPEND, "c"));
        List<Message> versions = await(engine.history().versions(ch, serial));
        assertThat(versions).extracting(m -> m.data).containsExactly("a", "ab", "abc");
        assertThat(versions.subList(1, 3)).extracting(m -> m.action).containsOnly(Versions.UPDATE);
        assertThat(versions).extracting(m -> m.serial).containsOnly(serial);
        publish(ch, operation(ch.name(), serial, Versions.DELETE, ""));
        List<Message> after = await(engine.history().versions(ch, serial));
        assertThat(after).hasSize(4);
        assertThat(after.get(3).action).isEqualTo(Versions.DELETE);
    }

    @Test
    void versions_unknownSerial_isEmpty() throws Exception {
        ChannelId ch = channel("mutable:none");
        String serial = publish(ch, messages(ch.name(), "a")).serials().get(0);
        assertThat(await(engine.history().versions(ch, serial + "9"))).isEmpty();
        assertThat(await(engine.history().versions(ch, "no-such-serial"))).isEmpty();
        assertThat(await(engine.history().versions(channel("mutable:other"), serial)))
                .isEmpty();
    }

    @Test
    void history_afterOperations_showsLatestVersionAtOriginalPosition() throws Exception {
        ChannelId ch = channel("mutable:history");
        String first = publish(ch, messages(ch.name(), "one")).serials().get(0);
        publish(ch, messages(ch.name(), "two"));
        publish(ch, operation(ch.name(), first, Versions.UPDATE, "one, edited"));
        HistoryQuery q = new HistoryQuery(HistoryQuery.Kind.MESSAGES, null, null, 100, false, null, null);
        HistoryPage raw = await(engine.history().query(ch, q));
        assertThat(raw.items()).extracting(i -> ((Message) i.item()).data).containsExactly("two", "one");
        HistoryPage page = await(Versions.latest(engine.history(), ch, raw));
        assertThat(page.items()).extracting(i -> ((Message) i.item()).data).containsExactly("two", "one, edited");
        Replay rewind = await(
                Versions.latest(engine.history(), ch, await(engine.history().rewind(ch, 10, 0))));
        assertThat(rewind.events())
                .extracting(e -> e.message().messages.get(0).data)
                .containsExactly("one, edited", "two");
    }

    // ---- occupancy (docs/protocol.md §6.4) ----

    @Test
    void occupancy_reportReplaceWithdraw_totalFollows() throws Exception {
        ChannelId ch = channel("occ:a");
        assertThat(await(engine.occupancy().total(ch))).isEqualTo(OccupancyCounts.ZERO);
        OccupancyCounts two = new OccupancyCounts(2, 1, 2, 1, 2, 0, 0);
        await(engine.occupancy().report(ch, two));
        assertThat(await(engine.occupancy().total(ch))).isEqualTo(two);
        OccupancyCounts one = new OccupancyCounts(1, 0, 1, 0, 1, 0, 1);
        await(engine.occupancy().report(ch, one));
        assertThat(await(engine.occupancy().total(ch))).isEqualTo(one);
        await(engine.occupancy().report(ch, OccupancyCounts.ZERO));
        assertThat(await(engine.occupancy().total(ch))).isEqualTo(OccupancyCounts.ZERO);
        assertThat(await(engine.occupancy().active(app, "", null, 100)).names()).doesNotContain("occ:a");
    }

    @Test
    void occupancy_active_pagesByNameWithPrefix() throws Exception {
        OccupancyCounts one = new OccupancyCounts(1, 1, 1, 1, 1, 0, 0);
        for (String n : List.of("room:c", "room:a", "other", "room:b", "roomy")) {
            await(engine.occupancy().report(channel(n), one));
        }
        await(engine.occupancy().report(channel("room:gone"), one));
        await(engine.occupancy().report(channel("room:gone"), OccupancyCounts.ZERO));
        List<String> all = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            OccupancyStore.ActivePage page = await(engine.occupancy().active(app, "room:", after, 2));
            assertThat(page.names().size()).isLessThanOrEqualTo(2);
            all.addAll(page.names());
            after = page.next();
            pages++;
        } while (after != null && pages < 10);
        assertThat(all).containsExactly("room:a", "room:b", "room:c");
        assertThat(await(engine.occupancy().active(app, "", null, 100)).names())
                .containsExactly("other", "room:a", "room:b", "room:c", "roomy");
        assertThat(await(engine.occupancy().active("other-" + app, "", null, 100))
                        .names())
                .isEmpty();
    }

    // ---- annotations: one event of the log each, folded into the message's summary (docs/protocol.md §7.10) ----

    private io.herald.core.channel.ChannelPolicy annotatable() {
        var ns = new io.herald.core.config.NamespaceConfig("notes", false, false, true);
        var apps = new io.herald.core.config.AppConfig(app, List.of(), List.of(ns), List.of());
        return new io.herald.core.channel.ChannelPolicy(a -> apps, Timings.DEFAULTS);
    }

    private List<String> annotate(ChannelId ch, String serial, String json, String clientId) throws Exception {
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree).put("messageSerial", serial);
        var publisher = new io.herald.core.channel.MessageRules.Publisher("conn-" + clientId, clientId, false);
        return await(io.herald.core.annotations.AnnotationPublisher.publish(
                engine,
                annotatable(),
                app,
                io.herald.core.channel.ChannelName.parse(ch.name()),
                new com.fasterxml.jackson.databind.ObjectMapper()
                        .createArrayNode()
                        .add(tree),
                null,
                new io.herald.core.annotations.AnnotationPublisher.Caller(publisher, op -> true),
                65536,
                1_700_000_000_000L,
                "ann-" + clientId));
    }

    private static com.fasterxml.jackson.databind.JsonNode json(String text) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
    }

    @Test
    void annotation_deliveredAsSummaryWithTheOriginalSerial_andAnnotationWithItsOwn() throws Exception {
        ChannelId ch = channel("notes:live");
        await(engine.broker().subscribe(ch));
        String serial = publish(ch, messages(ch.name(), "hello")).serials().get(0);
        nextEvent();
        List<String> serials = annotate(ch, serial, "{\"type\":\"reactions:distinct.v1\",\"name\":\"+1\"}", "ann");
        ChannelEvent e = nextEvent();
        assertThat(e.message().messages.get(0).serial).isEqualTo(serial);
        assertThat(e.message().messages.get(0).action).isEqualTo(Versions.SUMMARY);
        assertThat(e.message()
                        .messages
                        .get(0)
                        .annotations
                        .at("/summary/reactions:distinct.v1/+1/clientIds/0")
                        .asText())
                .isEqualTo("ann");
        assertThat(serials).containsExactly(e.serial().messageSerial(0));
        var views = io.herald.core.annotations.AnnotationViews.of(e);
        var annotation = views.annotation().message().annotations.get(0);
        assertThat(views.annotation().message().action).isEqualTo(io.herald.protocol.Action.ANNOTATION);
        assertThat(annotation.get("serial").asText()).isEqualTo(serials.get(0));
        assertThat(annotation.get("messageSerial").asText()).isEqualTo(serial);
        assertThat(annotation.get("clientId").asText()).isEqualTo("ann");
        assertThat(views.summary().message().annotations).isNull();
    }

    @Test
    void annotations_foldIntoTheSummary_ofHistoryRewindAndVersions_andAreReadBackInOrder() throws Exception {
        ChannelId ch = channel("notes:fold");
        String serial = publish(ch, messages(ch.name(), "hello")).serials().get(0);
        publish(ch, messages(ch.name(), "other"));
        annotate(ch, serial, "{\"type\":\"reactions:unique.v1\",\"name\":\"a\"}", "c1");
        annotate(ch, serial, "{\"type\":\"reactions:unique.v1\",\"name\":\"b\"}", "c1");
        annotate(ch, serial, "{\"type\":\"reactions:unique.v1\",\"name\":\"a\"}", "c2");
        annotate(ch, serial, "{\"type\":\"votes:multiple.v1\",\"name\":\"x\",\"count\":3}", "c1");
        annotate(ch, serial, "{\"type\":\"seen:total.v1\"}", "c2");
        annotate(ch, serial, "{\"type\":\"seen:total.v1\",\"action\":1}", "c2");
        String expected = "{\"reactions:unique.v1\":{\"a\":{\"total\":1,\"clientIds\":[\"c2\"],\"clipped\":false},"
                + "\"b\":{\"total\":1,\"clientIds\":[\"c1\"],\"clipped\":false}},"
                + "\"votes:multiple.v1\":{\"x\":{\"total\":3,\"clientIds\":{\"c1\":3},\"totalUnidentified\":0,"
                + "\"clipped\":false,\"totalClientIds\":1}}}";
        var expectedTree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(expected);
        List<Message> versions = await(engine.history().versions(ch, serial));
        assertThat(versions).hasSize(1);
        assertThat(json(versions.get(0).annotations.get("summary").toString())).isEqualTo(expectedTree);
        HistoryQuery q = new HistoryQuery(HistoryQuery.Kind.MESSAGES, null, null, 100, false, null, null);
        HistoryPage raw = await(engine.history().query(ch, q));
        assertThat(raw.items()).extracting(i -> ((Message) i.item()).data).containsExactly("other", "hello");
        HistoryPage page = await(Versions.latest(engine.history(), ch, raw));
        Message annotated = (Message) page.items().get(1).item();
        assertThat(json(annotated.annotations.get("summary").toString())).isEqualTo(expectedTree);
        assertThat(((Message) page.items().get(0).item()).annotations).isNull();
        Replay rewind = await(
                Versions.latest(engine.history(), ch, await(engine.history().rewind(ch, 10, 0))));
        assertThat(rewind.events()).hasSize(2);
        Message rewound = rewind.events().get(0).message().messages.get(0);
        assertThat(json(rewound.annotations.get("summary").toString())).isEqualTo(expectedTree);
        var read = await(Summaries.read(engine.history(), ch, serial));
        assertThat(read).isNotNull();
        assertThat(read.annotations()).hasSize(6);
        assertThat(read.annotations()).extracting(a -> a.get("serial").asText()).doesNotHaveDuplicates();
        assertThat(read.annotations().get(3).get("count").asInt()).isEqualTo(3);
        assertThat(read.original().data).isEqualTo("hello");
    }

    @Test
    void annotation_onAnUnknownSerial_isRefusedWith40400() throws Exception {
        ChannelId ch = channel("notes:unknown");
        String serial = publish(ch, messages(ch.name(), "hello")).serials().get(0);
        assertThatThrownBy(() -> annotate(ch, serial + "9", "{\"type\":\"r:flag.v1\"}", "c1"))
                .hasRootCauseInstanceOf(io.herald.core.internal.AblyException.class)
                .rootCause()
                .hasMessageContaining("no message with serial");
        assertThat(await(Summaries.read(engine.history(), ch, "nope"))).isNull();
    }

    // ---- stats (StatsStore) ----

    @Test
    void stats_sumsAddUp_gaugesReplaceThisNodesOwn_andReadsARange() throws Exception {
        long m0 = 1_700_000_040_000L - 1_700_000_040_000L % 60_000;
        long m1 = m0 + 60_000;
        java.time.Duration keep = java.time.Duration.ofDays(3650);
        await(engine.stats()
                .merge(app, m0, Map.of("messages.inbound.rest.messages.count", 2L), Map.of("channels.peak", 3L), keep));
        await(engine.stats()
                .merge(app, m0, Map.of("messages.inbound.rest.messages.count", 5L), Map.of("channels.peak", 4L), keep));
        await(engine.stats().merge(app, m1, Map.of("channels.opened", 1L), Map.of(), keep));
        java.util.NavigableMap<Long, Map<String, Long>> all =
                await(engine.stats().read(app, m0, m1));
        assertThat(all.keySet()).containsExactly(m0, m1);
        assertThat(all.get(m0))
                .containsEntry("messages.inbound.rest.messages.count", 7L)
                .containsEntry("channels.peak", 4L);
        assertThat(all.get(m1)).containsEntry("channels.opened", 1L);
        assertThat(await(engine.stats().read(app, m1, m1)).keySet()).containsExactly(m1);
        assertThat(await(engine.stats().read(app + "x", m0, m1))).isEmpty();
        assertThat(await(engine.stats().read(app, m1 + 60_000, m0))).isEmpty();
    }

    // ---- LiveObjects (engines that keep them; the others say so and are skipped) ----

    private static io.herald.core.engine.ObjectsRequest objectsRequest(
            ChannelId ch, io.herald.core.objects.ObjectOperation... ops) {
        ProtocolMessage pm = new ProtocolMessage(io.herald.protocol.Action.OBJECT);
        pm.channel = ch.name();
        pm.id = "conn:0";
        pm.connectionId = "conn";
        pm.timestamp = 1L;
        List<io.herald.core.objects.ObjectMessage> ms = new ArrayList<>();
        for (io.herald.core.objects.ObjectOperation op : ops) {
            ms.add(io.herald.core.objects.ObjectMessage.ofOperation(op));
        }
        return new io.herald.core.engine.ObjectsRequest(ch, pm, ms, RETENTION);
    }

    @Test
    void objects_applyIsOneEventInTheLog_andTheSnapshotIsCurrentToItsPosition() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(engine.objects().supported(), "engine keeps no objects");
        ChannelId ch = channel("objects");
        await(engine.broker().subscribe(ch));
        PublishOutcome before = publish(ch, messages(ch.name(), "m"));
        PublishOutcome o = await(engine.objects()
                .apply(objectsRequest(
                        ch,
                        io.herald.core.objects.ObjectOperation.mapSet(
                                "root", "k", io.herald.core.objects.ObjectData.ofString("v")),
                        io.herald.core.objects.ObjectOperation.counterInc("counter:c@1", 3))));
        assertThat(o.serial().seq()).isEqualTo(before.serial().seq() + 1);
        assertThat(o.serials())
                .containsExactly(o.serial().messageSerial(0), o.serial().messageSerial(1));
        nextEvent();
        ChannelEvent e = nextEvent();
        assertThat(e.action()).isEqualTo(io.herald.protocol.Action.OBJECT);
        assertThat(e.message().state.get(1).get("serial").asText())
                .isEqualTo(o.serials().get(1));
        assertThat(e.message().state.get(1).get("siteCode").asText())
                .isEqualTo(engine.objects().siteCode());
        ObjectsSnapshot s = await(engine.objects().snapshot(ch));
        assertThat(s.position()).isEqualTo(o.serial());
        assertThat(s.objects()).hasSize(2);
        assertThat(s.objects().get(0).object().map().entries().get("k").timeserial())
                .isEqualTo(o.serials().get(0));
        // history shows messages only
        HistoryPage page = await(engine.history()
                .query(ch, new HistoryQuery(HistoryQuery.Kind.MESSAGES, null, null, 100, true, null, null)));
        assertThat(page.items()).hasSize(1);
    }

    @Test
    void objects_aRefusedBatchChangesNothingAndPublishesNothing() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(engine.objects().supported(), "engine keeps no objects");
        ChannelId ch = channel("objects-refused");
        await(engine.broker().subscribe(ch));
        ChannelSerial start = await(engine.broker().position(ch));
        assertThatThrownBy(() -> await(engine.objects()
                        .apply(objectsRequest(
                                ch,
                                io.herald.core.objects.ObjectOperation.mapSet(
                                        "root", "k", io.herald.core.objects.ObjectData.ofString("v")),
                                io.herald.core.objects.ObjectOperation.delete("root")))))
                .hasRootCauseInstanceOf(io.herald.core.internal.AblyException.class)
                .hasMessageContaining("root");
        assertThat(await(engine.broker().position(ch))).isEqualTo(start);
        assertThat(await(engine.objects().snapshot(ch)).objects())
                .singleElement()
                .satisfies(m -> assertThat(m.object().map().entries()).isEmpty());
        assertThat(events.poll()).isNull();
    }
}
