#!/usr/bin/env bash
# The detection-quality benchmark of issue 22, from the repository root: labelled series of every shape
# (bench/src/main/java/dev/mplp/trace/evaluation), replayed as span traffic through the streaming job, scored
# NAB-style; one table per --run in the "Detection quality" section of BENCHMARKS.md and bench/NOTES.md (about a
# minute per run on 2 cores).
#   bench/detection.sh                  the defaults
#   bench/detection.sh --run NAME --set detection.baseline.KEY=VALUE ... [--run NAME2 ...] [--out FILE]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -eq 0 ]; then
    set -- --run "after: the defaults"
fi
BENCH_MAIN=dev.mplp.trace.evaluation.DetectionBenchmark exec bench/run.sh "$@"
