#!/usr/bin/env bash
# A Flink 2.2 standalone session cluster on loopback, in the background: one JobManager
# (StandaloneSessionClusterEntrypoint, with the web UI and REST API) and one TaskManager (TaskManagerRunner), each a
# JVM of its own, from the jars `mvn -pl docker/flink-cluster generate-resources` copies into
# docker/flink-cluster/target/flink (no flink-dist, no Docker engine). It is the cluster the tests start
# (dev.mplp.trace.testing.FlinkCluster), with the same conf/flink/config.yaml.
#
#   docker/flink-cluster.sh start [--port N]   start (REST API and web UI on N, default 8081; RPC on N+42)
#   docker/flink-cluster.sh stop               stop both gracefully (SIGKILL after 30 s); checkpoints stay
#   docker/flink-cluster.sh status             running or not, and where
#
# Checkpoints and savepoints go to docker/.run/flink/checkpoints and .../savepoints, logs to docker/.run/flink/*.log.
# The S3 file system plugin is on FLINK_PLUGINS_DIR; give the S3 store's endpoint and keys as s3.* in a copy of
# conf/flink/config.yaml (FLINK_CONF_DIR=that directory) or as FLINK_PROPERTIES="-Ds3.endpoint=... -D...".
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
flink="${FLINK_CLUSTER_DIR:-$here/flink-cluster/target/flink}"
conf="${FLINK_CONF_DIR:-$here/../conf/flink}"
run="$here/.run/flink"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

usage() {
  echo "usage: $0 start|stop|status [--port N]" >&2
  exit 2
}

command=${1:-}
[ $# -gt 0 ] && shift
port=8081
while [ $# -gt 0 ]; do
  case $1 in
    --port) [ $# -ge 2 ] || usage; port=$2; shift 2 ;;
    --port=*) port=${1#*=}; shift ;;
    *) usage ;;
  esac
done
[[ $port =~ ^[0-9]+$ ]] && [ "$port" -gt 0 ] && [ "$port" -lt 65000 ] || { echo "bad port: $port" >&2; exit 2; }
rpc_port=$((port + 42))

# The pid of one of our processes (jobmanager or taskmanager), if it runs; a stale pid file does not count.
running_pid() {
  local pidfile="$run/$1.pid" pid
  [ -f "$pidfile" ] || return 1
  pid=$(cat "$pidfile")
  kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$2" || return 1
  echo "$pid"
}

JM_CLASS=org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint
TM_CLASS=org.apache.flink.runtime.taskexecutor.TaskManagerRunner

tail_logs() {
  for f in "$run"/*.out "$run"/*.log; do
    [ -f "$f" ] && { echo "--- last lines of $f ---"; tail -n 30 "$f"; }
  done >&2
}

rest_up() { curl -sf "http://127.0.0.1:$port/taskmanagers" 2>/dev/null; }

# name, main class, JVM memory options...
launch() {
  local name=$1 class=$2
  shift 2
  # setsid: outlive this shell and not get the terminal's Ctrl-C; FLINK_PLUGINS_DIR: the S3 file system plugin
  FLINK_PLUGINS_DIR="$flink/plugins" setsid "$java" "$@" @"$conf/java-options" \
    -Dlog.file="$run/$name.log" -Dlog4j2.configurationFile="$conf/log4j2.properties" \
    -cp "$flink/lib/*" "$class" --configDir "$conf" \
    -Drest.port="$port" -Djobmanager.rpc.port="$rpc_port" \
    -Dexecution.checkpointing.dir="file://$run/checkpoints" \
    -Dexecution.checkpointing.savepoint-dir="file://$run/savepoints" \
    -Dweb.upload.dir="$run/upload" -Dio.tmp.dirs="$run/tmp" \
    ${FLINK_PROPERTIES:-} >>"$run/$name.out" 2>&1 </dev/null &
  echo $! >"$run/$name.pid"
}

start() {
  if pid=$(running_pid jobmanager "$JM_CLASS"); then
    echo "Flink already runs (JobManager pid $pid): $(cat "$run/url")"
    return 0
  fi
  if ! ls "$flink"/lib/flink-runtime-*.jar >/dev/null 2>&1; then
    echo "The Flink jars are not in $flink/lib: run \`mvn -pl docker/flink-cluster generate-resources\` first." >&2
    exit 1
  fi
  mkdir -p "$run/checkpoints" "$run/savepoints" "$run/upload" "$run/tmp"
  launch jobmanager "$JM_CLASS" -Xms128m -Xmx512m -XX:MaxMetaspaceSize=192m
  echo "http://127.0.0.1:$port" >"$run/url"
  for _ in $(seq 1 120); do
    running_pid jobmanager "$JM_CLASS" >/dev/null || { echo "the JobManager exited while starting" >&2; tail_logs; exit 1; }
    rest_up >/dev/null && break
    sleep 0.5
  done
  rest_up >/dev/null || { echo "the JobManager did not serve REST on port $port within 60 s" >&2; tail_logs; stop; exit 1; }
  # the sizes of config.yaml: heap = framework + task heap, direct = framework + task off-heap + network
  launch taskmanager "$TM_CLASS" -Xms512m -Xmx512m -XX:MaxDirectMemorySize=320m -XX:MaxMetaspaceSize=192m
  for _ in $(seq 1 120); do
    running_pid taskmanager "$TM_CLASS" >/dev/null || { echo "the TaskManager exited while starting" >&2; tail_logs; stop; exit 1; }
    if rest_up | grep -q '"slotsNumber"'; then
      echo "Flink started: web UI and REST API at http://127.0.0.1:$port, logs in $run"
      return 0
    fi
    sleep 0.5
  done
  echo "the TaskManager did not register within 60 s" >&2
  tail_logs
  stop
  exit 1
}

stop_one() {
  local name=$1 class=$2 pid
  if ! pid=$(running_pid "$name" "$class"); then
    rm -f "$run/$name.pid"
    return 0
  fi
  kill -TERM "$pid"
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "the $name did not stop within 30 s: killing it" >&2
    kill -KILL "$pid"
  fi
  rm -f "$run/$name.pid"
}

stop() {
  stop_one taskmanager "$TM_CLASS"
  stop_one jobmanager "$JM_CLASS"
  echo "Flink stopped"
}

status() {
  local jm tm
  jm=$(running_pid jobmanager "$JM_CLASS") || jm=""
  tm=$(running_pid taskmanager "$TM_CLASS") || tm=""
  if [ -n "$jm" ]; then
    echo "Flink runs: JobManager pid $jm, TaskManager $([ -n "$tm" ] && echo "pid $tm" || echo "not running");" \
      "web UI and REST API at $(cat "$run/url")"
  else
    echo "Flink is not running"
    return 3
  fi
}

case $command in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) usage ;;
esac
