# Shared by the scripts that run a local service in the background (kafka.sh, s3proxy.sh, flink-cluster.sh): the
# command line, pid files that survive a reused pid, waiting for a port, and a stop that escalates. Sourced, not run.
# Each service keeps its pid file, data and logs under docker/.run/SERVICE, or $LOCAL_RUN_DIR/SERVICE when set.

java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

usage() {
  echo "usage: $0 start|stop|status [--port N]" >&2
  exit 2
}

# parse_command_line DEFAULT_PORT MAX_PORT ARGS...: sets `command` (start, stop, status) and `port` from
# --port N / --port=N (DEFAULT_PORT when absent), at most MAX_PORT since some services take the ports after it too
parse_command_line() {
  local max=$2
  port=$1
  shift 2
  command=${1:-}
  [ $# -gt 0 ] && shift
  while [ $# -gt 0 ]; do
    case $1 in
      --port) [ $# -ge 2 ] || usage; port=$2; shift 2 ;;
      --port=*) port=${1#*=}; shift ;;
      *) usage ;;
    esac
  done
  [[ $port =~ ^[0-9]+$ ]] && [ "$port" -gt 0 ] && [ "$port" -le "$max" ] || { echo "bad port: $port" >&2; exit 2; }
}

# running_pid PIDFILE TEXT: prints the pid in PIDFILE if that process runs and its command line contains TEXT
# (a stale pid file, or a pid the system gave to another program since, does not count). No `| grep -q`: under
# pipefail, grep quitting at the first match could fail the pipeline with the writer's SIGPIPE.
running_pid() {
  local pid command_line
  [ -f "$1" ] || return 1
  pid=$(cat "$1")
  kill -0 "$pid" 2>/dev/null || return 1
  command_line=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  [[ $command_line == *"$2"* ]] || return 1
  echo "$pid"
}

# still_starting PIDFILE: true while the process this script just launched lives. Not running_pid: between the
# fork and the exec of the service, the child's command line is still this script's.
still_starting() { kill -0 "$(cat "$1")" 2>/dev/null; }

# listening PORT: true when something accepts connections on 127.0.0.1:PORT
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# stop_process NAME PIDFILE TEXT: SIGTERM (the service's shutdown hook closes its files), SIGKILL after 30 s
stop_process() {
  local pid
  if ! pid=$(running_pid "$2" "$3"); then
    rm -f "$2"
    return 1
  fi
  kill -TERM "$pid"
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "$1 did not stop within 30 s: killing it" >&2
    kill -KILL "$pid"
  fi
  rm -f "$2"
}

# tail_logs FILE...: the last lines of each existing file, on stderr
tail_logs() {
  for f in "$@"; do
    if [ -f "$f" ]; then echo "--- last lines of $f ---"; tail -n 30 "$f"; fi
  done >&2
}
