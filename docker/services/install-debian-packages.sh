#!/usr/bin/env bash
# Installs the Debian packages the integration tests start as child processes: `prometheus`
# (PrometheusMetricsITCase scrapes the job's metrics with it) and `prometheus-alertmanager`
# (AlertmanagerSinkITCase posts alerts to it). Idempotent: does nothing when both binaries are
# already there. Needs root (or sudo) and apt on Debian bookworm or later.
#
# The packages normally start system services on the default ports (9090, 9093, and the node
# exporter on 9100). The tests pick free ports of their own, but a background server scraping and
# storing for nothing is not wanted on a CI machine: services are kept from starting while the
# packages install (policy-rc.d), and stopped and disabled afterwards where systemd runs.
set -euo pipefail

have() {
  command -v "$1" >/dev/null 2>&1 || [ -x "/usr/bin/$1" ]
}

if have prometheus && have prometheus-alertmanager; then
  echo "prometheus and prometheus-alertmanager are installed"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi

policy=/usr/sbin/policy-rc.d
own_policy=false
if [ ! -e "$policy" ]; then
  # exit code 101: "action forbidden", so invoke-rc.d starts no service during the installation
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
  $sudo chmod 755 "$policy"
  own_policy=true
fi
cleanup() {
  if $own_policy; then
    $sudo rm -f "$policy"
  fi
}
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update
$sudo apt-get install -y --no-install-recommends prometheus prometheus-alertmanager

if [ -d /run/systemd/system ]; then
  for service in prometheus prometheus-alertmanager prometheus-node-exporter; do
    $sudo systemctl disable --now "$service" >/dev/null 2>&1 || true
  done
fi

have prometheus && have prometheus-alertmanager
echo "installed: $(prometheus --version 2>&1 | head -1); $(prometheus-alertmanager --version 2>&1 | head -1)"
