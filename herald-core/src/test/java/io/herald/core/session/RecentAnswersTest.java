package io.herald.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.protocol.Action;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.ErrorInfo;
import io.herald.protocol.ProtocolMessage;
import io.herald.protocol.PublishResult;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The answers a session remembers for resent publishes come back as they were sent, within the capacity. */
class RecentAnswersTest {

    private static ProtocolMessage ack(long serial, List<String> serials) {
        ProtocolMessage pm = new ProtocolMessage(Action.ACK);
        pm.msgSerial = serial;
        pm.count = 1;
        if (serials != null) {
            pm.res = List.of(new PublishResult(serials));
        }
        return pm;
    }

    private static ProtocolMessage nack(long serial, ErrorInfo error) {
        ProtocolMessage pm = new ProtocolMessage(Action.NACK);
        pm.msgSerial = serial;
        pm.count = 1;
        pm.error = error;
        return pm;
    }

    @Test
    void get_everyKindOfAnswer_isRebuiltAsSent() {
        RecentAnswers r = new RecentAnswers();
        ErrorInfo denied = ErrorCode.OPERATION_NOT_PERMITTED.info("no");
        r.put(0, ack(0, List.of("e@1-0")));
        r.put(1, ack(1, Arrays.asList("e@2-0", null, "e@2-1")));
        r.put(2, ack(2, Arrays.asList((String) null)));
        r.put(3, ack(3, null));
        r.put(4, nack(4, denied));

        assertThat(r.get(0).res).containsExactly(new PublishResult(List.of("e@1-0")));
        assertThat(r.get(1).res).containsExactly(new PublishResult(Arrays.asList("e@2-0", null, "e@2-1")));
        assertThat(r.get(2).res).containsExactly(new PublishResult(Arrays.asList((String) null)));
        assertThat(r.get(3).action).isEqualTo(Action.ACK);
        assertThat(r.get(3).res).isNull();
        assertThat(r.get(4).action).isEqualTo(Action.NACK);
        assertThat(r.get(4).error).isSameAs(denied);
        for (long s = 0; s <= 4; s++) {
            assertThat(r.get(s).msgSerial).isEqualTo(s);
            assertThat(r.get(s).count).isEqualTo(1);
        }
        assertThat(r.get(5)).isNull();
    }

    @Test
    void put_pastTheCapacity_keepsTheNewestOnly() {
        RecentAnswers r = new RecentAnswers();
        int total = RecentAnswers.CAPACITY * 3 + 5;
        for (long s = 0; s < total; s++) {
            r.put(s, ack(s, List.of("e@" + s + "-0")));
        }
        assertThat(r.size()).isEqualTo(RecentAnswers.CAPACITY);
        assertThat(r.get(total - RecentAnswers.CAPACITY - 1)).isNull();
        for (long s = total - RecentAnswers.CAPACITY; s < total; s++) {
            assertThat(r.get(s).res).containsExactly(new PublishResult(List.of("e@" + s + "-0")));
        }
    }

    @Test
    void get_serialsWithGaps_findsEachAndNothingBetween() {
        RecentAnswers r = new RecentAnswers();
        for (long s = 0; s < 40; s += 3) {
            r.put(s, ack(s, null));
        }
        assertThat(r.get(39)).isNotNull();
        assertThat(r.get(38)).isNull();
        assertThat(r.get(0)).isNotNull();
    }

    @Test
    void get_heraldSerialsKeptByPosition_areRebuiltExactly_acrossChannelsAndThePastCapacity() {
        RecentAnswers r = new RecentAnswers();
        // two channels alternating (the shared epoch changes at every answer), then one channel for long
        for (long s = 0; s < 600; s++) {
            String epoch = s < 100 ? (s % 2 == 0 ? "abcdEFGH" : "Zyx98765") : "abcdEFGH";
            String serial = new io.herald.core.engine.ChannelSerial(epoch, 1_000_000L + s).messageSerial((int) (s % 7));
            r.put(s, ack(s, List.of(serial)));
            assertThat(r.get(s).res).containsExactly(new PublishResult(List.of(serial)));
        }
        for (long s = 600 - RecentAnswers.CAPACITY; s < 600; s++) {
            String serial =
                    new io.herald.core.engine.ChannelSerial("abcdEFGH", 1_000_000L + s).messageSerial((int) (s % 7));
            assertThat(r.get(s).res).containsExactly(new PublishResult(List.of(serial)));
            assertThat(r.get(s).msgSerial).isEqualTo(s);
        }
        assertThat(r.get(600 - RecentAnswers.CAPACITY - 1)).isNull();
    }

    @Test
    void get_serialsNotInHeraldsExactForm_areKeptAsTheyWere() {
        RecentAnswers r = new RecentAnswers();
        List<String> odd = List.of(
                "abc-000000000001:1", // an index without its padding
                "abc-1:001", // a seq without its padding
                "ab-c-000000000001:001x",
                ":",
                "-000000000001:001",
                "abc-000000000001:1000");
        for (int i = 0; i < odd.size(); i++) {
            r.put(i, ack(i, List.of(odd.get(i))));
        }
        for (int i = 0; i < odd.size(); i++) {
            assertThat(r.get(i).res).containsExactly(new PublishResult(List.of(odd.get(i))));
        }
    }

    @Test
    void get_moreEpochsThanTheTableHolds_areRebuiltExactly_andTheTableStaysBounded() {
        RecentAnswers r = new RecentAnswers();
        int epochs = RecentAnswers.MAX_EPOCHS + 40;
        // every answer on another channel: past MAX_EPOCHS epochs named at once, serials are kept as strings
        for (long s = 0; s < 3L * RecentAnswers.CAPACITY; s++) {
            String epoch = "ep" + (s % epochs) + "X";
            String serial = new io.herald.core.engine.ChannelSerial(epoch, 5_000L + s).messageSerial((int) (s % 3));
            r.put(s, ack(s, List.of(serial)));
            assertThat(r.epochsHeld()).isLessThanOrEqualTo(RecentAnswers.MAX_EPOCHS);
        }
        for (long s = 2L * RecentAnswers.CAPACITY; s < 3L * RecentAnswers.CAPACITY; s++) {
            String epoch = "ep" + (s % epochs) + "X";
            String serial = new io.herald.core.engine.ChannelSerial(epoch, 5_000L + s).messageSerial((int) (s % 3));
            assertThat(r.get(s).res).as("msgSerial %s", s).containsExactly(new PublishResult(List.of(serial)));
        }
        // then one channel: the epochs no kept answer names are reused, answers keep coming back exactly
        for (long s = 3L * RecentAnswers.CAPACITY; s < 5L * RecentAnswers.CAPACITY; s++) {
            String serial = new io.herald.core.engine.ChannelSerial("solo", s).messageSerial(0);
            r.put(s, ack(s, List.of(serial)));
            assertThat(r.get(s).res).containsExactly(new PublishResult(List.of(serial)));
        }
        assertThat(r.get(4L * RecentAnswers.CAPACITY).res)
                .containsExactly(new PublishResult(
                        List.of(new io.herald.core.engine.ChannelSerial("solo", 4L * RecentAnswers.CAPACITY)
                                .messageSerial(0))));
    }

    @Test
    void put_overUncommonAnswers_afterTheRingWraps_answersWhatWasSentLast() {
        RecentAnswers r = new RecentAnswers();
        ErrorInfo denied = ErrorCode.OPERATION_NOT_PERMITTED.info("no");
        int n = RecentAnswers.CAPACITY;
        for (long s = 0; s < n; s++) {
            r.put(s, s % 2 == 0 ? nack(s, denied) : ack(s, Arrays.asList("a-1", "b-2")));
        }
        for (long s = n; s < 2L * n; s++) {
            String serial = new io.herald.core.engine.ChannelSerial("abc", s).messageSerial(1);
            r.put(s, s % 5 == 0 ? ack(s, null) : ack(s, List.of(serial)));
        }
        for (long s = n; s < 2L * n; s++) {
            ProtocolMessage m = r.get(s);
            assertThat(m.action).isEqualTo(Action.ACK);
            if (s % 5 == 0) {
                assertThat(m.res).isNull();
            } else {
                assertThat(m.res)
                        .containsExactly(new PublishResult(
                                List.of(new io.herald.core.engine.ChannelSerial("abc", s).messageSerial(1))));
            }
        }
        assertThat(r.get(n - 1)).isNull();
    }
}
