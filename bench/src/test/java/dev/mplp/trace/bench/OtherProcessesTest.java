package dev.mplp.trace.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class OtherProcessesTest {

    @Test
    void busyTimeIsEveryFieldButIdleAndIowait() {
        // user nice system idle iowait irq softirq steal guest guest_nice, jiffies of 10 ms
        String line = "cpu  1000 200 300 90000 400 50 60 70 11 12";

        assertThat(OtherProcesses.busySeconds(line)).isEqualTo((1000 + 200 + 300 + 50 + 60 + 70) / 100.0);
    }

    @Test
    void onlyTheMachineWideCpuLineIsRead() {
        assertThatThrownBy(() -> OtherProcesses.busySeconds("cpu0 1 2 3 4 5 6 7 8"))
                .hasMessageContaining("not the cpu line");
    }

    @Test
    void aShareIsMeasuredOnLinux() throws Exception {
        OtherProcesses others = new OtherProcesses();
        Thread.sleep(200);

        OptionalDouble share = others.share(Runtime.getRuntime().availableProcessors());
        assertThat(share).isPresent();
        assertThat(share.getAsDouble()).isBetween(0.0, 1.0);
    }
}
