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
. "$here/lib.sh"
jar="${LOCAL_SERVICES_DIR:-$here/services/target}/s3proxy/s3proxy.jar"
run="${LOCAL_RUN_DIR:-$here/.run}/s3proxy"
pidfile="$run/s3proxy.pid"
access_key="${S3PROXY_ACCESS_KEY:-local-access}"
secret_key="${S3PROXY_SECRET_KEY:-local-secret}"

parse_command_line 9000 65535 "$@"

proxy_pid() { running_pid "$pidfile" s3proxy; }

start() {
  if pid=$(proxy_pid); then echo "S3Proxy already runs (pid $pid): $(cat "$run/endpoint")"; return 0; fi
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
    still_starting "$pidfile" || { echo "S3Proxy exited while starting" >&2; tail_logs "$run/s3proxy.out"; exit 1; }
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
  if stop_process S3Proxy "$pidfile" s3proxy; then echo "S3Proxy stopped"; else echo "S3Proxy is not running"; fi
}

case $command in
  start) start ;;
  stop) stop ;;
  status) if pid=$(proxy_pid); then echo "S3Proxy runs (pid $pid): $(cat "$run/endpoint")"; else echo "S3Proxy is not running"; exit 3; fi ;;
  *) usage ;;
esac
