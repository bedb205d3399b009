package dev.bulwark.toxiproxy.toxics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Each toxic's per-link behaviour, driven with made-up times instead of sleeping. */
class LinkToxicsTest {

    private static final long T0 = 1_000_000_000L;

    private final LinkToxics toxics = new LinkToxics();

    private void add(String name, Toxic toxic) {
        toxics.add(new ToxicSpec(name, Direction.DOWNSTREAM, 1.0f, toxic), T0);
    }

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private static Chunk data(int size) {
        return Chunk.data(new byte[size], T0);
    }

    @Test
    void shouldPassEverythingAtOnceWithoutToxics() {
        assertThat(toxics.anyActive()).isFalse();
        assertThat(toxics.admit(100, T0)).isEqualTo(new LinkToxics.Admission(100, false));
        assertThat(toxics.releaseAt(data(100))).isEqualTo(T0);
        assertThat(toxics.nextDeadline()).isEqualTo(ToxicStage.NO_DEADLINE);
    }

    @Test
    void shouldReleaseDataAfterLatenciesThatAddUpButNotDelayTheEnd() {
        add("first", new LatencyToxic(100, 0));
        add("second", new LatencyToxic(50, 0));

        assertThat(toxics.releaseAt(data(10))).isEqualTo(T0 + ms(150));
        assertThat(toxics.releaseAt(Chunk.end(T0))).isEqualTo(T0);
    }

    @Test
    void shouldKeepJitterWithinPlusOrMinusTheJitter() {
        add("latency", new LatencyToxic(100, 20));

        for (int i = 0; i < 200; i++) {
            assertThat(toxics.releaseAt(data(1))).isBetween(T0 + ms(80), T0 + ms(119));
        }
    }

    @Test
    void shouldHoldEverythingButTheEndAtRateZero() {
        add("cut", new BandwidthToxic(0));

        assertThat(toxics.releaseAt(data(1))).isEqualTo(ToxicStage.HOLD);
        assertThat(toxics.releaseAt(Chunk.end(T0))).isEqualTo(T0);
        assertThat(toxics.remove("cut")).isEqualTo(Fault.NONE);
        assertThat(toxics.releaseAt(data(1))).isEqualTo(T0);
    }

    @Test
    void shouldPaceWritesToTheRateInHundredMillisecondPieces() {
        add("slow", new BandwidthToxic(10));

        assertThat(toxics.maxPiece()).isEqualTo(1000);
        toxics.onWritten(1000, T0);

        assertThat(toxics.releaseAt(data(1000))).isEqualTo(T0 + ms(100));
    }

    @Test
    void shouldSliceIntoPiecesAroundTheAverageSizeWithTheDelayBetween() {
        add("slicer", new SlicerToxic(100, 10, 500));

        for (int i = 0; i < 50; i++) {
            assertThat(toxics.maxPiece()).isBetween(90, 110);
            toxics.onWritten(100, T0);
        }
        assertThat(toxics.releaseAt(data(1))).isEqualTo(T0 + TimeUnit.MICROSECONDS.toNanos(500));
    }

    @Test
    void shouldDelayOnlyTheEndWithSlowClose() {
        add("slow_close", new SlowCloseToxic(300));

        assertThat(toxics.releaseAt(data(1))).isEqualTo(T0);
        assertThat(toxics.releaseAt(Chunk.end(T0))).isEqualTo(T0 + ms(300));
    }

    @Test
    void shouldDropDataAndCloseAfterTheTimeoutCountedFromTheLastData() {
        add("timeout", new TimeoutToxic(200));

        assertThat(toxics.admit(50, T0 + ms(100)).bytes()).isZero();
        assertThat(toxics.nextDeadline()).isEqualTo(T0 + ms(300));
        assertThat(toxics.dueFault(T0 + ms(299))).isEqualTo(Fault.NONE);
        assertThat(toxics.dueFault(T0 + ms(300))).isEqualTo(Fault.CLOSE);
        assertThat(toxics.remove("timeout")).isEqualTo(Fault.CLOSE);
    }

    @Test
    void shouldNeverCloseWithATimeoutOfZero() {
        add("timeout", new TimeoutToxic(0));

        assertThat(toxics.admit(50, T0).bytes()).isZero();
        assertThat(toxics.nextDeadline()).isEqualTo(ToxicStage.NO_DEADLINE);
    }

    @Test
    void shouldResetAfterTheTimeoutFromTheFirstDataOrEnd() {
        add("reset_peer", new ResetPeerToxic(50));

        assertThat(toxics.nextDeadline()).isEqualTo(ToxicStage.NO_DEADLINE);
        assertThat(toxics.admit(10, T0).bytes()).isZero();
        assertThat(toxics.admit(10, T0 + ms(20)).bytes()).isZero();
        assertThat(toxics.swallowEof(T0 + ms(30))).isTrue();
        assertThat(toxics.nextDeadline()).isEqualTo(T0 + ms(50));
        assertThat(toxics.dueFault(T0 + ms(50))).isEqualTo(Fault.RESET);
    }

    @Test
    void shouldForwardUpToTheLimitThenEnd() {
        add("limit", new LimitDataToxic(100));

        assertThat(toxics.admit(60, T0)).isEqualTo(new LinkToxics.Admission(60, false));
        assertThat(toxics.admit(60, T0)).isEqualTo(new LinkToxics.Admission(40, true));
    }

    @Test
    void shouldIgnoreAToxicWhoseToxicityIsZero() {
        toxics.add(new ToxicSpec("never", Direction.DOWNSTREAM, 0.0f, new TimeoutToxic(10)), T0);

        assertThat(toxics.anyActive()).isFalse();
        assertThat(toxics.admit(10, T0).bytes()).isEqualTo(10);
        assertThat(toxics.remove("never")).isEqualTo(Fault.NONE);
    }

    @Test
    void shouldApplyAnUpdateAndKeepTheStateOfTheLink() {
        add("limit", new LimitDataToxic(100));
        toxics.admit(80, T0);

        toxics.update(new ToxicSpec("limit", Direction.DOWNSTREAM, 1.0f, new LimitDataToxic(90)), T0);

        assertThat(toxics.admit(50, T0)).isEqualTo(new LinkToxics.Admission(10, true));
    }
}
