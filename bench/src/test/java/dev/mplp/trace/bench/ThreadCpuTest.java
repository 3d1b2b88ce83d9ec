package dev.mplp.trace.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {

    @Test
    void subtasksOfAChainAreOneGroupWhateverTheirLocations() {
        assertThat(ThreadCpu.group("Source: source: kafka://127.0.0.1:34625/bench-traffic -> validate-messages (1/2)#0"))
                .isEqualTo("Source: source: kafka://…/bench-traffic -> validate-messages")
                .isEqualTo(ThreadCpu.group(
                        "Source: source: kafka://127.0.0.1:40001/bench-traffic -> validate-messages (2/2)#3"));
        assertThat(ThreadCpu.group("span-session -> late-messages: file:/tmp/a/late-messages: Writer (1/2)#0"))
                .isEqualTo("span-session -> late-messages: file:…: Writer");
    }

    @Test
    void pooledThreadsAreOneGroupPerPool() {
        assertThat(ThreadCpu.group("AsyncOperations-thread-3")).isEqualTo(ThreadCpu.group("AsyncOperations-thread-12"))
                .isEqualTo("AsyncOperations-thread-#");
    }

    @Test
    void aBusyThreadsCpuIsInItsGroup() throws Exception {
        ThreadCpu before = ThreadCpu.now();
        Thread busy = new Thread(() -> {
            long end = System.nanoTime() + 200_000_000L;
            long sink = 0;
            while (System.nanoTime() < end) {
                sink += System.identityHashCode(new Object());
            }
            if (sink == 42) {
                System.out.print("");
            }
        }, "busy-worker-7");
        busy.start();
        // measured while it still runs: an ended thread's CPU is only in the process's remainder
        Thread.sleep(150);
        ThreadCpu after = ThreadCpu.now();
        busy.join();

        Map<String, Double> groups = after.since(before);
        assertThat(groups.get("busy-worker-#")).isGreaterThan(0.05);
        assertThat(groups).containsKey(ThreadCpu.JVM_OWN);
        assertThat(groups.values().stream().mapToDouble(Double::doubleValue).sum())
                .isGreaterThanOrEqualTo(groups.get("busy-worker-#"));
    }
}
