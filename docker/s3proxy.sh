#!/usr/bin/env bash
# An S3-compatible store on loopback, in the background: S3Proxy with its filesystem backend (each bucket a directory
# under docker/.run/s3proxy/data). It is the store the integration tests start (dev.mplp.trace.testing.S3ProxyServer),
# from the jar `mvn -pl docker/services generate-resources` copies to docker/services/target/s3proxy/s3proxy.jar.
#
#   docker/s3proxy.sh start [--port N]   start (default port 9000); prints the endpoint and the credentials
#   docker/s3proxy.sh stop               stop; the data stays
#   docker/s3proxy.sh status             running or not, and where
#
# Credentials: S3PROXY_ACCESS_KEY / S3PROXY_SECRET_KEY, or local-access / local-secret. A bucket is a directory:
# `mkdir docker/.run/s3proxy/data/BUCKET`.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
jar="${LOCAL_SERVICES_DIR:-$here/services/target}/s3proxy/s3proxy.jar"
run="$here/.run/s3proxy"
pidfile="$run/s3proxy.pid"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
access_key="${S3PROXY_ACCESS_KEY:-local-access}"
secret_key="${S3PROXY_SECRET_KEY:-local-secret}"

command=${1:-}
[ $# -gt 0 ] && shift
port=9000
if [ "${1:-}" = --port ] && [ $# -ge 2 ]; then port=$2; shift 2; fi
[ $# -eq 0 ] || { echo "usage: $0 start|stop|status [--port N]" >&2; exit 2; }
[[ $port =~ ^[0-9]+$ ]] && [ "$port" -gt 0 ] && [ "$port" -lt 65536 ] || { echo "bad port: $port" >&2; exit 2; }

running_pid() {
  [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null \
    && tr '\0' ' ' <"/proc/$(cat "$pidfile")/cmdline" 2>/dev/null | grep -q s3proxy && cat "$pidfile"
}

start() {
  if pid=$(running_pid); then echo "S3Proxy already runs (pid $pid): $(cat "$run/endpoint")"; return 0; fi
  [ -f "$jar" ] || { echo "S3Proxy is not at $jar: run \`mvn -pl docker/services generate-resources\` first." >&2; exit 1; }
  mkdir -p "$run/data"
  cat >"$run/s3proxy.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:$port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$access_key
s3proxy.credential=$secret_key
jclouds.provider=filesystem-nio2
jclouds.identity=$access_key
jclouds.credential=$secret_key
jclouds.filesystem.basedir=$run/data
PROPS
  setsid "$java" -Xms32m -Xmx256m -XX:+UseSerialGC -DLOG_LEVEL=warn -jar "$jar" \
    --properties "$run/s3proxy.properties" >>"$run/s3proxy.out" 2>&1 </dev/null &
  echo $! >"$pidfile"
  echo "http://127.0.0.1:$port" >"$run/endpoint"
  for _ in $(seq 1 120); do
    running_pid >/dev/null || { echo "S3Proxy exited while starting" >&2; tail -n 30 "$run/s3proxy.out" >&2; exit 1; }
    if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
      echo "S3Proxy started: endpoint http://127.0.0.1:$port (path-style), access key $access_key," \
        "secret key $secret_key; buckets are the directories of $run/data"
      return 0
    fi
    sleep 0.5
  done
  echo "S3Proxy did not answer on port $port within 60 s" >&2
  stop
  exit 1
}

stop() {
  local pid
  if ! pid=$(running_pid); then echo "S3Proxy is not running"; rm -f "$pidfile"; return 0; fi
  kill -TERM "$pid"
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  rm -f "$pidfile"
  echo "S3Proxy stopped"
}

case $command in
  start) start ;;
  stop) stop ;;
  status) if pid=$(running_pid); then echo "S3Proxy runs (pid $pid): $(cat "$run/endpoint")"; else echo "S3Proxy is not running"; exit 3; fi ;;
  *) echo "usage: $0 start|stop|status [--port N]" >&2; exit 2 ;;
esac
