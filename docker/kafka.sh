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
lib="${LOCAL_SERVICES_DIR:-$here/services/target}/kafka/lib"
run="$here/.run/kafka"
pidfile="$run/kafka.pid"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

usage() {
  echo "usage: $0 start|stop|status [--port N]" >&2
  exit 2
}

command=${1:-}
[ $# -gt 0 ] && shift
port=9092
while [ $# -gt 0 ]; do
  case $1 in
    --port) [ $# -ge 2 ] || usage; port=$2; shift 2 ;;
    --port=*) port=${1#*=}; shift ;;
    *) usage ;;
  esac
done
[[ $port =~ ^[0-9]+$ ]] && [ "$port" -gt 0 ] && [ "$port" -lt 65535 ] || { echo "bad port: $port" >&2; exit 2; }
controller_port=$((port + 1))

# The pid of our broker, if it runs; a stale pid file (or a reused pid) does not count.
running_pid() {
  [ -f "$pidfile" ] || return 1
  local pid
  pid=$(cat "$pidfile")
  kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'kafka\.Kafka' || return 1
  echo "$pid"
}

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

tail_logs() {
  for f in broker.out broker.log; do
    [ -f "$run/$f" ] && { echo "--- last lines of $run/$f ---"; tail -n 30 "$run/$f"; }
  done >&2
}

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
  if pid=$(running_pid); then
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
      -c "$run/server.properties" >>"$run/broker.out" 2>&1 || { echo "formatting $run/data failed" >&2; tail_logs; exit 1; }
  fi
  # setsid: the broker must outlive this shell and not get the terminal's Ctrl-C.
  setsid "${jvm[@]}" kafka.Kafka "$run/server.properties" >>"$run/broker.out" 2>&1 </dev/null &
  echo $! >"$pidfile"
  echo "127.0.0.1:$port" >"$run/bootstrap"

  # Ready once the listener accepts connections (clients retry the moment until it serves them).
  for _ in $(seq 1 120); do
    if ! running_pid >/dev/null; then
      echo "Kafka exited while starting" >&2; tail_logs; rm -f "$pidfile"; exit 1
    fi
    if listening "$port"; then
      echo "Kafka started (pid $(cat "$pidfile")): bootstrap servers 127.0.0.1:$port, logs in $run"
      return 0
    fi
    sleep 0.5
  done
  echo "Kafka did not listen on 127.0.0.1:$port within 60 s; stopping it" >&2
  tail_logs
  stop
  exit 1
}

stop() {
  local pid
  if ! pid=$(running_pid); then
    echo "Kafka is not running"
    rm -f "$pidfile"
    return 0
  fi
  kill -TERM "$pid"  # Kafka's shutdown hook closes its logs cleanly
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "Kafka did not stop within 30 s: killing it" >&2
    kill -KILL "$pid"
  fi
  rm -f "$pidfile"
  echo "Kafka stopped"
}

status() {
  if pid=$(running_pid); then
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
