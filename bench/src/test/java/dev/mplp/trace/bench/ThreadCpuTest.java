package dev.mplp.trace.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
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
        CountDownLatch burnt = new CountDownLatch(1);
        CountDownLatch measured = new CountDownLatch(1);
        Thread busy = new Thread(() -> {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long sink = 0;
            // 100 ms of its own CPU, however long that takes on a busy machine
            while (threads.getCurrentThreadCpuTime() < 100_000_000L) {
                sink += System.identityHashCode(new Object());
            }
            if (sink == 42) {
                System.out.print("");
            }
            burnt.countDown();
            try {
                // alive while measured: an ended thread's CPU is only in the process's remainder
                measured.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "busy-worker-7");
        busy.start();
        burnt.await();
        ThreadCpu after = ThreadCpu.now();
        measured.countDown();
        busy.join();

        Map<String, Double> groups = after.since(before);
        assertThat(groups.get("busy-worker-#")).isGreaterThanOrEqualTo(0.1);
        assertThat(groups).containsKey(ThreadCpu.JVM_OWN);
        assertThat(after.processCpuSince(before)).isGreaterThanOrEqualTo(0.1);
    }
}
