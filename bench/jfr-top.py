#!/usr/bin/env python3
"""Top methods of a JFR recording (Java 17's `jfr` has no `view hot-methods`): self and inclusive shares of
jdk.ExecutionSample, and the share per thread.

    jfr print --json --events jdk.ExecutionSample --stack-depth 64 stream.jfr > samples.json
    bench/jfr-top.py samples.json
"""
import collections
import json
import sys


def name(frame):
    return frame["method"]["type"]["name"].replace("/", ".") + "." + frame["method"]["name"]


def main(path, top=20):
    events = json.load(open(path))["recording"]["events"]
    total = len(events)
    threads, self_time, inclusive = collections.Counter(), collections.Counter(), collections.Counter()
    for event in events:
        values = event["values"]
        thread = values.get("sampledThread") or {}
        threads[(thread.get("javaName") or "?")[:70]] += 1
        frames = (values.get("stackTrace") or {}).get("frames") or []
        if frames:
            self_time[name(frames[0])] += 1
            for method in {name(f) for f in frames}:
                inclusive[method] += 1
    print(f"{total} samples")
    for title, counter in (("threads", threads), ("self", self_time), ("inclusive", inclusive)):
        print(f"--- {title}")
        for key, count in counter.most_common(top):
            print(f"{count / total * 100:5.1f}%  {key}")


if __name__ == "__main__":
    main(sys.argv[1])
