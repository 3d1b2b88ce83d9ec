#!/usr/bin/env bash
# A single-node Kafka broker (KRaft, combined broker and controller) on loopback, in the
# background, for trying the jobs by hand: no Docker engine needed. It is the broker the
# integration tests start (dev.mplp.trace.testing.KafkaBroker), from the same jars, which
# `mvn -pl docker/services generate-resources` copies into docker/services/target/kafka/lib.
#
#   docker/kafka.sh start [--port N]   start (default port 9092; the controller takes N+1)
#   docker/kafka.sh stop               stop gracefully (SIGKILL after 30 s); the data stays
#   docker/kafka.sh status             running or not, and where
#
# Everything lives in docker/.run/kafka/ (config, data/, broker.log, broker.out, kafka.pid);
# delete that directory to start from an empty broker.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
lib="${LOCAL_SERVICES_DIR:-$here/services/target}/kafka/lib"
run="${LOCAL_RUN_DIR:-$here/.run}/kafka"
pidfile="$run/kafka.pid"

parse_command_line 9092 65534 "$@"
controller_port=$((port + 1))

broker_pid() { running_pid "$pidfile" kafka.Kafka; }
broker_logs() { tail_logs "$run/broker.out" "$run/broker.log"; }

write_config() {
  mkdir -p "$run/data"
  cat >"$run/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$run/data
num.partitions=1
default.replication.factor=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
broker.session.timeout.ms=3000
broker.heartbeat.interval.ms=500
auto.create.topics.enable=false
log.cleaner.dedupe.buffer.size=8388608
# outputs carry their event time as timestamp and generated traffic is dated 2025: no time-based retention here
log.retention.ms=-1
EOF
  cat >"$run/log4j2.properties" <<EOF
appender.file.type=File
appender.file.name=file
appender.file.fileName=$run/broker.log
appender.file.layout.type=PatternLayout
appender.file.layout.pattern=[%d] %p %m (%c)%n
rootLogger.level=WARN
rootLogger.appenderRef.file.ref=file
logger.started.name=kafka.server.KafkaRaftServer
logger.started.level=INFO
EOF
}

# The same JVM options as the tests' broker (see KafkaBroker.spawn for why).
jvm=("$java" -Xms64m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1
  -Dlog4j2.configurationFile="$run/log4j2.properties" -cp "$lib/*")

start() {
  if pid=$(broker_pid); then
    echo "Kafka already runs (pid $pid): bootstrap servers $(cat "$run/bootstrap")"
    return 0
  fi
  if ! ls "$lib"/kafka_2.13-*.jar >/dev/null 2>&1; then
    echo "The Kafka broker jars are not in $lib: run \`mvn -pl docker/services generate-resources\` first." >&2
    exit 1
  fi
  for p in "$port" "$controller_port"; do
    if listening "$p"; then echo "port $p is already in use: choose another with --port" >&2; exit 1; fi
  done
  write_config
  # KRaft needs a formatted data directory; format once, so the data survives stop/start.
  if [ ! -f "$run/data/meta.properties" ]; then
    "${jvm[@]}" kafka.tools.StorageTool format -t "$("${jvm[@]}" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)" \
      -c "$run/server.properties" >>"$run/broker.out" 2>&1 || { echo "formatting $run/data failed" >&2; broker_logs; exit 1; }
  fi
  # setsid: the broker must outlive this shell and not get the terminal's Ctrl-C.
  setsid "${jvm[@]}" kafka.Kafka "$run/server.properties" >>"$run/broker.out" 2>&1 </dev/null &
  echo $! >"$pidfile"
  echo "127.0.0.1:$port" >"$run/bootstrap"

  # Ready once the listener accepts connections (clients retry the moment until it serves them).
  for _ in $(seq 1 120); do
    if ! still_starting "$pidfile"; then
      echo "Kafka exited while starting" >&2; broker_logs; rm -f "$pidfile"; exit 1
    fi
    if listening "$port"; then
      echo "Kafka started (pid $(cat "$pidfile")): bootstrap servers 127.0.0.1:$port, logs in $run"
      return 0
    fi
    sleep 0.5
  done
  echo "Kafka did not listen on 127.0.0.1:$port within 60 s; stopping it" >&2
  broker_logs
  stop
  exit 1
}

stop() {
  if stop_process Kafka "$pidfile" kafka.Kafka; then echo "Kafka stopped"; else echo "Kafka is not running"; fi
}

status() {
  if pid=$(broker_pid); then
    echo "Kafka runs (pid $pid): bootstrap servers $(cat "$run/bootstrap")"
  else
    echo "Kafka is not running"
    return 3
  fi
}

case $command in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) usage ;;
esac
