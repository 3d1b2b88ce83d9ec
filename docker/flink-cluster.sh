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
. "$here/lib.sh"
flink="${FLINK_CLUSTER_DIR:-$here/flink-cluster/target/flink}"
conf="${FLINK_CONF_DIR:-$here/../conf/flink}"
run="${LOCAL_RUN_DIR:-$here/.run}/flink"

parse_command_line 8081 65493 "$@"
rpc_port=$((port + 42))

# The pid of one of our processes (jobmanager or taskmanager, its main class), if it runs.
flink_pid() { running_pid "$run/$1.pid" "$2"; }
flink_logs() { tail_logs "$run"/*.out "$run"/*.log; }

JM_CLASS=org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint
TM_CLASS=org.apache.flink.runtime.taskexecutor.TaskManagerRunner

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
  if pid=$(flink_pid jobmanager "$JM_CLASS"); then
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
    still_starting "$run/jobmanager.pid" || { echo "the JobManager exited while starting" >&2; flink_logs; exit 1; }
    rest_up >/dev/null && break
    sleep 0.5
  done
  rest_up >/dev/null || { echo "the JobManager did not serve REST on port $port within 60 s" >&2; flink_logs; stop; exit 1; }
  # the sizes of config.yaml: heap = framework + task heap, direct = framework + task off-heap + network
  launch taskmanager "$TM_CLASS" -Xms512m -Xmx512m -XX:MaxDirectMemorySize=320m -XX:MaxMetaspaceSize=192m
  for _ in $(seq 1 120); do
    still_starting "$run/taskmanager.pid" || { echo "the TaskManager exited while starting" >&2; flink_logs; stop; exit 1; }
    if rest_up | grep -q '"slotsNumber"'; then
      echo "Flink started: web UI and REST API at http://127.0.0.1:$port, logs in $run"
      return 0
    fi
    sleep 0.5
  done
  echo "the TaskManager did not register within 60 s" >&2
  flink_logs
  stop
  exit 1
}

stop() {
  stop_process "the TaskManager" "$run/taskmanager.pid" "$TM_CLASS" || true
  stop_process "the JobManager" "$run/jobmanager.pid" "$JM_CLASS" || true
  echo "Flink stopped"
}

status() {
  local jm tm
  jm=$(flink_pid jobmanager "$JM_CLASS") || jm=""
  tm=$(flink_pid taskmanager "$TM_CLASS") || tm=""
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
