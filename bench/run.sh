#!/usr/bin/env bash
# Builds the benchmark and runs it from the repository root; writes BENCHMARKS.md there.
#   bench/run.sh            the full run (about 33 minutes on 2 cores: row 2's Kafka run measures two steady states;
#                           add --open-spans 10000,100000,1000000 for the 1M-span state figures, many minutes more)
#   bench/run.sh --smoke    every measurement on a tiny input, in a minute or two (figures meaningless)
#   bench/run.sh --rows 1,2 --out /tmp/partial.md
#                           only those rows (and the rows they need: 3 needs 2, 2 needs 1), e.g. to see
#                           whether a change helps; write them elsewhere than BENCHMARKS.md
#   bench/run.sh --rows 2 --steady 60 --out /tmp/partial.md
#                           row 2's Kafka run with a 60 s steady state instead of 5 minutes (to try it out)
# Extra JVM options (a profiler, say) go in BENCH_JAVA_OPTS; BENCH_MAIN runs another main class (bench/detection.sh). The benchmark runs with `java -cp`, not
# `mvn exec:java`, whose class loader breaks Flink's user-code class loading.
set -euo pipefail
cd "$(dirname "$0")/.."
# docker/services: the Kafka broker's jars (target/kafka/lib) for row 2's live run
mvn -B -q -pl docker/services,bench -am package -DskipTests
# the opens Flink's own scripts pass on Java 17
exec java -Xmx3g ${BENCH_JAVA_OPTS:-} \
    --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED \
    --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
    --add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
    --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED \
    --add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
    -Dlog4j2.configurationFile=classpath:bench-log4j2.properties \
    -Dbench.command="bench/run.sh $*" \
    -cp "bench/target/bench.jar:bench/target/lib/*" ${BENCH_MAIN:-dev.mplp.trace.bench.Benchmark} "$@"
