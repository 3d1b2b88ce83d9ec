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
    void aFloorsRareBurstIsNormalOnceTwoEarlierBurstsReachedItEvenIfTheyWereIncidents() {
        Random random = new Random(5);
        MetricModel model = MetricModel.of(SETTINGS);
        for (int i = 0; i < 60; i++) {
            double value = 25 * (1 + 0.03 * random.nextGaussian());
            // two bursts in 60 windows, far fewer than a tenth: an incident of two windows (not learned), one learned
            boolean burst = i == 20 || i == 21 || i == 40;
            model.record(burst ? 72 : value, !(i == 20 || i == 21));
        }

        Assessment burst = model.assess(100, START, true, 0, SETTINGS);
        assertThat(burst.deviating()).as("a third burst, ×4 of the floor").isFalse();
        assertThat(burst.pattern()).isEqualTo("recurring excursion");
        assertThat(model.assess(200, START, true, 0, SETTINGS).deviating()).as("a surge ×8").isTrue();
    }

    @Test
    void aSpikeIsNewsTheFirstAndTheSecondTimeAndPartOfTheSeriesFromTheThird() {
        MetricModel model = MetricModel.of(SETTINGS);
        for (int i = 0; i < 40; i++) {
            model.record(i % 2 == 0 ? 100 : 110, true);
        }
        assertThat(model.assess(2500, START, true, 0, SETTINGS).extreme()).isTrue();
        model.record(2500, false);
        model.record(100, true);
        assertThat(model.assess(2500, START, true, 0, SETTINGS).extreme()).as("the second time").isTrue();
        model.record(2500, false);
        model.record(100, true);

        assertThat(model.assess(2500, START, true, 0, SETTINGS).deviating()).as("the third time").isFalse();
    }

    @Test
    void aNoisySeriesHasNoRecurringExcursionSoADoublingDeviates() {
        Random random = new Random(13);
        MetricModel model = MetricModel.of(SETTINGS);
        for (int i = 0; i < 96; i++) {
            model.record(120 * (1 + 0.2 * random.nextGaussian()), true);
        }

        Assessment doubled = model.assess(240, START, true, 0, SETTINGS);
        assertThat(doubled.deviating()).isTrue();
        assertThat(doubled.pattern()).isEqualTo("recent level");
    }

    @Test
    void excursionsCountEachRunOnceByItsLeastExtremeWindowAndLeaveOutTheCurrentDeviation() {
        WindowHistory history = WindowHistory.withCapacity(8);
        history.add(10, true);
        history.add(50, false);
        history.add(40, false);
        history.add(60, true);
        history.add(12, true);
        history.add(45, true);
        history.add(12, true);
        history.add(90, false);

        assertThat(history.excursionsBeyond(30, true)).containsExactly(40, 45);
        assertThat(history.excursionsBeyond(11, false)).containsExactly(10);
    }

    @Test
    void aWeekdayRiseIsNormalOnMondayMorningOnceAWeekHasBeenSeenButNotOnASunday() {
        MetricModel model = MetricModel.of(SETTINGS);
        Random random = new Random(17);
        int windowsPerDay = 24 * 12;
        int deviatingOnTheSecondMonday = 0;
        // from a Monday (START) to the second Sunday, 10:00: business hours ×2.5 on weekdays only
        int secondSundayTen = 13 * windowsPerDay + 10 * 12;
        for (int i = 0; i < secondSundayTen; i++) {
            int day = i / windowsPerDay;
            int hour = i % windowsPerDay / 12;
            boolean businessHours = day % 7 < 5 && hour >= 9 && hour < 17;
            double value = (businessHours ? 250 : 100) * (1 + 0.03 * random.nextGaussian());
            Assessment assessment = model.assess(value, START + i * WINDOW, true, 0, SETTINGS);
            boolean deviating = assessment != null && assessment.deviating();
            if (day == 7 && deviating) {
                deviatingOnTheSecondMonday++;
            }
            model.record(value, !deviating);
        }

        assertThat(deviatingOnTheSecondMonday).as("windows deviating on the second Monday").isZero();
        Assessment sunday = model.assess(250, START + secondSundayTen * WINDOW, true, 0, SETTINGS);
        assertThat(sunday.deviating()).as("a weekday's rise on a Sunday").isTrue();
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
