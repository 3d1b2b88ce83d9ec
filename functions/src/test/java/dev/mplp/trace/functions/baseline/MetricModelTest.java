package dev.mplp.trace.functions.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MetricModelTest {

    private static final BaselineSettings SETTINGS = new BaselineSettings(15, 0.5, 4, 0.05, 3, 2, 96, 12);
    private static final long START = Instant.parse("2026-01-05T00:00:00Z").toEpochMilli();
    private static final long WINDOW = Duration.ofMinutes(5).toMillis();

    @Test
    void autocorrelationFindsAnHourlyBurstButNoPeriodInNoise() {
        Random random = new Random(7);
        double[] bursts = new double[96];
        double[] noise = new double[96];
        for (int i = 0; i < bursts.length; i++) {
            bursts[i] = (i % 12 >= 5 && i % 12 < 7 ? 300 : 100) * (1 + 0.03 * random.nextGaussian());
            noise[i] = 100 * (1 + 0.2 * random.nextGaussian());
        }

        assertThat(Periodicity.period(bursts)).isEqualTo(12);
        assertThat(Periodicity.period(noise)).isZero();
    }

    @Test
    void anHourlyBurstIsNormalAtItsTimeAndADoublingBetweenBurstsIsNot() {
        Random random = new Random(11);
        MetricModel model = MetricModel.of(SETTINGS);
        int burstWindowsDeviating = 0;
        for (int i = 0; i < 96; i++) {
            double value = (i % 12 >= 5 && i % 12 < 7 ? 300 : 100) * (1 + 0.03 * random.nextGaussian());
            Assessment assessment = model.assess(value, START + i * WINDOW, true, 0, SETTINGS);
            if (i >= 48 && assessment != null && assessment.deviating()) {
                burstWindowsDeviating++;
            }
            model.record(value, assessment == null || !assessment.deviating());
        }
        Assessment doubled = model.assess(200, START + 96 * WINDOW + 9 * WINDOW, true, 0, SETTINGS);

        assertThat(burstWindowsDeviating).as("windows deviating once the period is known").isZero();
        assertThat(doubled.deviating()).isTrue();
        assertThat(doubled.pattern()).isEqualTo("every 12 windows");
    }

    @Test
    void aBurstyFloorGetsABandAboveItsBurstsButNotAboveASurge() {
        Random random = new Random(3);
        MetricModel model = MetricModel.of(SETTINGS);
        for (int i = 0; i < 96; i++) {
            double value = random.nextInt(7) == 0 ? 25 * (2.5 + 1.5 * random.nextDouble()) : 25;
            model.record(value, true);
        }

        assertThat(model.assess(100, START, true, 0, SETTINGS).deviating()).isFalse();
        assertThat(model.assess(200, START, true, 0, SETTINGS).deviating()).isTrue();
    }

    @Test
    void oneWindowFarBeyondTheBandAndEveryLearnedWindowIsExtreme() {
        MetricModel model = MetricModel.of(SETTINGS);
        for (int i = 0; i < 20; i++) {
            model.record(i % 2 == 0 ? 100 : 110, true);
        }

        assertThat(model.assess(2500, START, true, 0, SETTINGS).extreme()).isTrue();
        assertThat(model.assess(200, START, true, 0, SETTINGS).extreme()).isFalse();
        assertThat(model.assess(200, START, true, 0, SETTINGS).deviating()).isTrue();
        assertThat(model.assess(20, START, false, 0, SETTINGS).deviating()).as("lower is worse: a drop").isTrue();
    }
}
