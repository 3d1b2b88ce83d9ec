package dev.mplp.trace.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mplp.trace.evaluation.LabelledSeries.Anomaly;
import dev.mplp.trace.evaluation.LabelledSeries.Metric;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowScorerTest {

    private static final double EARLIEST = WindowScorer.scaledSigmoid(-1);

    /** 100 windows, 10 of probation, anomalies of 4 windows at 40 and 70. */
    private static final LabelledSeries TWO_ANOMALIES = new LabelledSeries(
            "two", Shape.SPIKE, Metric.LATENCY, new double[100],
            List.of(new Anomaly(40, 44, false), new Anomaly(70, 74, false)), 10);

    @Test
    void theScaledSigmoidRewardsTheWindowStartNearlyFullyAndItsEndNotAtAll() {
        assertThat(WindowScorer.scaledSigmoid(-1)).isCloseTo(0.9866, within(1e-4));
        assertThat(WindowScorer.scaledSigmoid(0)).isCloseTo(0, within(1e-12));
        assertThat(WindowScorer.scaledSigmoid(3)).isCloseTo(-1, within(1e-6));
    }

    @Test
    void detectingEachAnomalyAtItsFirstWindowIsThePerfectScore() {
        SeriesScore score = WindowScorer.score(TWO_ANOMALIES, List.of(40, 70), 0);

        assertThat(score.raw()).isCloseTo(score.perfect(), within(1e-12)).isCloseTo(2 * EARLIEST, within(1e-12));
        assertThat(score.delays()).containsExactly(0, 0);
        assertThat(score.precision()).isEqualTo(1.0);
        assertThat(score.recall()).isEqualTo(1.0);
        assertThat(SeriesScore.normalised(List.of(score))).isCloseTo(100, within(1e-9));
    }

    @Test
    void aLaterDetectionInTheWindowEarnsLessAndOnlyTheFirstOneCounts() {
        SeriesScore score = WindowScorer.score(TWO_ANOMALIES, List.of(42, 43, 70), 0);

        // y = (42 - 44) / 4 = -0.5
        assertThat(score.raw()).isCloseTo(WindowScorer.scaledSigmoid(-0.5) + EARLIEST, within(1e-12));
        assertThat(score.delays()).containsExactly(2, 0);
        assertThat(score.falsePositives()).isZero();
    }

    @Test
    void aMissedAnomalyCostsAFalseNegativeAndSilenceScoresZeroNormalised() {
        SeriesScore one = WindowScorer.score(TWO_ANOMALIES, List.of(40), 0);
        SeriesScore none = WindowScorer.score(TWO_ANOMALIES, List.of(), 0);

        assertThat(one.raw()).isCloseTo(EARLIEST - WindowScorer.A_FN, within(1e-12));
        assertThat(one.recall()).isEqualTo(0.5);
        assertThat(none.raw()).isCloseTo(-2 * WindowScorer.A_FN, within(1e-12));
        assertThat(SeriesScore.normalised(List.of(none))).isCloseTo(0, within(1e-9));
    }

    @Test
    void falsePositivesCostTheirWeightInFullAwayFromAnyAnomalyAndLessRightAfterOne() {
        SeriesScore farAway = WindowScorer.score(TWO_ANOMALIES, List.of(20, 40, 70), 0);
        SeriesScore rightAfter = WindowScorer.score(TWO_ANOMALIES, List.of(40, 44, 70), 0);

        assertThat(farAway.raw()).isCloseTo(2 * EARLIEST - WindowScorer.A_FP, within(1e-12));
        assertThat(farAway.falsePositiveWindows()).containsExactly(20);
        assertThat(farAway.precision()).isCloseTo(2 / 3.0, within(1e-12));
        // one window after the end of a 4-window anomaly: y = 1/4
        assertThat(rightAfter.raw())
                .isCloseTo(2 * EARLIEST + WindowScorer.A_FP * WindowScorer.scaledSigmoid(0.25), within(1e-12))
                .isGreaterThan(farAway.raw());
    }

    @Test
    void detectionsInTheProbationOrAfterTheEndAreNotScoredAndAShortAnomalyGetsAThreeWindowWindow() {
        LabelledSeries spike = new LabelledSeries(
                "spike", Shape.SPIKE, Metric.LATENCY, new double[50], List.of(new Anomaly(30, 31, false)), 10);

        SeriesScore score = WindowScorer.score(spike, List.of(3, 32, 50), 0);

        assertThat(score.falsePositives()).isZero();
        assertThat(score.delays()).containsExactly(2);
        assertThat(score.raw()).isCloseTo(WindowScorer.scaledSigmoid(-1 / 3.0), within(1e-12));
    }

    @Test
    void aSeriesWithoutAnomaliesOnlyLosesByFalsePositives() {
        LabelledSeries flat = new LabelledSeries("flat", Shape.FLAT_NOISE, Metric.LATENCY, new double[50], List.of(), 10);

        SeriesScore quiet = WindowScorer.score(flat, List.of(), 0);
        SeriesScore noisy = WindowScorer.score(flat, List.of(12, 30), 0);

        assertThat(quiet.raw()).isZero();
        assertThat(quiet.precision()).isEqualTo(1.0);
        assertThat(noisy.raw()).isCloseTo(-2 * WindowScorer.A_FP, within(1e-12));
        assertThat(noisy.precision()).isZero();
        assertThat(SeriesScore.normalised(List.of(noisy))).isNaN();
    }
}
