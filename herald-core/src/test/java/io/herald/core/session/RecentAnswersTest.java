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
}
