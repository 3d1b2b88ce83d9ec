package dev.mplp.trace.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;
import org.junit.jupiter.api.Test;

class ExponentialMovingStatisticsTest {

    private static final int HALF_LIFE = 8;

    @Test
    void aValuesWeightHalvesAfterTheHalfLife() {
        double alpha = ExponentialMovingStatistics.alphaForHalfLife(HALF_LIFE);
        ExponentialMovingStatistics stats = new ExponentialMovingStatistics();
        stats.add(0, alpha);
        for (int i = 0; i < HALF_LIFE; i++) {
            stats.add(1, alpha);
        }

        assertThat(stats.mean).isCloseTo(0.5, within(1e-12));
        assertThat(stats.count).isEqualTo(HALF_LIFE + 1);
    }

    @Test
    void aConstantSeriesHasItsValueAsMeanAndNoVariance() {
        ExponentialMovingStatistics stats = new ExponentialMovingStatistics();
        for (int i = 0; i < 50; i++) {
            stats.add(42, ExponentialMovingStatistics.alphaForHalfLife(HALF_LIFE));
        }

        assertThat(stats.mean).isEqualTo(42);
        assertThat(stats.standardDeviation()).isZero();
    }

    @Test
    void onAStationarySeriesItApproachesTheSeriesMeanAndSpread() {
        Random random = new Random(11);
        ExponentialMovingStatistics stats = new ExponentialMovingStatistics();
        SummaryStatistics reference = new SummaryStatistics();
        double alpha = ExponentialMovingStatistics.alphaForHalfLife(200);
        for (int i = 0; i < 20_000; i++) {
            double value = 100 + 10 * random.nextGaussian();
            stats.add(value, alpha);
            reference.addValue(value);
        }

        assertThat(stats.mean).isCloseTo(reference.getMean(), within(2.0));
        assertThat(stats.standardDeviation()).isCloseTo(reference.getStandardDeviation(), within(1.5));
    }
}
