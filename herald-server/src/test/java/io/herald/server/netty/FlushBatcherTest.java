package io.herald.server.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link FlushBatcher}: what reaches the socket, and in how many flushes. The channel's head sees a flush only when
 * the batcher lets one through. Operations go through the pipeline, not the embedded channel's own methods (which run
 * queued tasks after each call), so the batcher's queued task runs only when told to, as the event loop would run it
 * after the current task.
 */
class FlushBatcherTest {
    private final FlushCounter counter = new FlushCounter();
    private final EmbeddedChannel ch = new EmbeddedChannel(counter, new FlushBatcher());

    @AfterEach
    void close() {
        ch.finishAndReleaseAll();
    }

    @Test
    void writesOutsideARead_goOutInOneFlush_whenTheQueuedTaskRuns() {
        ch.pipeline().writeAndFlush(frame(1));
        ch.pipeline().writeAndFlush(frame(2));
        ch.pipeline().writeAndFlush(frame(3));
        assertThat(counter.flushes).isZero();
        assertThat(outbound()).isEmpty();

        ch.runPendingTasks();

        assertThat(counter.flushes).isEqualTo(1);
        assertThat(outbound()).containsExactly(1, 2, 3);
    }

    @Test
    void aSecondBatch_queuesTheTaskAgain() {
        ch.pipeline().writeAndFlush(frame(1));
        ch.runPendingTasks();
        ch.pipeline().writeAndFlush(frame(2));
        ch.runPendingTasks();

        assertThat(counter.flushes).isEqualTo(2);
        assertThat(outbound()).containsExactly(1, 2);
    }

    @Test
    void flushesDuringARead_waitForItsEnd() {
        ch.pipeline().fireChannelRead(frame(0));
        ch.pipeline().writeAndFlush(frame(1));
        ch.pipeline().writeAndFlush(frame(2));
        ch.runPendingTasks();
        assertThat(counter.flushes).isZero();

        ch.pipeline().fireChannelReadComplete();

        assertThat(counter.flushes).isEqualTo(1);
        assertThat(outbound()).containsExactly(1, 2);
        releaseInbound();
    }

    @Test
    void aTaskQueuedBeforeARead_leavesTheBatchToTheReadsEnd() {
        ch.pipeline().writeAndFlush(frame(1));
        ch.pipeline().fireChannelRead(frame(0));
        ch.runPendingTasks();
        assertThat(counter.flushes).isZero();

        ch.pipeline().fireChannelReadComplete();

        assertThat(counter.flushes).isEqualTo(1);
        assertThat(outbound()).containsExactly(1);
        releaseInbound();
    }

    @Test
    void aLongBatch_isFlushedAtTheLimit_withoutWaiting() {
        ch.pipeline().fireChannelRead(frame(0));
        for (int i = 0; i < FlushBatcher.MAX_PENDING; i++) {
            ch.pipeline().writeAndFlush(frame(i));
        }
        assertThat(counter.flushes).isEqualTo(1);
        assertThat(outbound()).hasSize(FlushBatcher.MAX_PENDING);

        ch.pipeline().writeAndFlush(frame(7));
        ch.pipeline().fireChannelReadComplete();
        assertThat(counter.flushes).isEqualTo(2);
        assertThat(outbound()).containsExactly(7);
        releaseInbound();
    }

    @Test
    void closing_flushesWhatIsPendingFirst() {
        ch.pipeline().writeAndFlush(frame(1));
        ch.close();

        assertThat(counter.flushes).isEqualTo(1);
        assertThat(outbound()).containsExactly(1);
    }

    @Test
    void anError_endsTheReadAndFlushes() {
        ch.pipeline().fireChannelRead(frame(0));
        ch.pipeline().writeAndFlush(frame(1));
        ch.pipeline().fireExceptionCaught(new IllegalStateException("test"));

        assertThat(counter.flushes).isEqualTo(1);
        assertThat(outbound()).containsExactly(1);
        releaseInbound();
        assertThatThrownBy(ch::checkException).isInstanceOf(IllegalStateException.class); // passed on down the pipeline
    }

    private static ByteBuf frame(int n) {
        return Unpooled.buffer(1).writeByte(n);
    }

    /** The first byte of each buffer flushed to the socket since the last call. */
    private List<Integer> outbound() {
        List<Integer> seen = new ArrayList<>(counter.flushed);
        counter.flushed.clear();
        return seen;
    }

    private void releaseInbound() {
        ByteBuf b;
        while ((b = ch.readInbound()) != null) {
            b.release();
        }
    }

    /**
     * Stands in for the socket: keeps what is written and counts the flushes that get past the batcher. Writes stop
     * here (the embedded channel's own socket runs queued tasks on every write, which an event loop does not).
     */
    private static final class FlushCounter extends ChannelOutboundHandlerAdapter {
        int flushes;
        final List<Integer> written = new ArrayList<>();
        final List<Integer> flushed = new ArrayList<>();

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            ByteBuf b = (ByteBuf) msg;
            written.add((int) b.getByte(0));
            b.release();
            promise.setSuccess();
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes++;
            flushed.addAll(written);
            written.clear();
        }
    }
}
