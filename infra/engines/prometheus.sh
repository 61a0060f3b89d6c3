#!/usr/bin/env bash
# Installs Debian's Prometheus (server and promtool) and runs the server as a plain process (not a
# systemd service) with the repository's configuration: it scrapes the /metrics listeners of
# processes started with RESOFT_METRICS_PORT (see infra/observability/prometheus.local.yml) and evaluates
# the alert rules in infra/observability/rules/.
#
#   bash infra/engines/prometheus.sh install   # apt-get install prometheus, only if prometheus or promtool is missing
#   bash infra/engines/prometheus.sh start     # prints PROMETHEUS_URL=http://127.0.0.1:<port>
#   bash infra/engines/prometheus.sh status
#   bash infra/engines/prometheus.sh stop      # stops the server by its pid
#
# Environment: PROMETHEUS_PORT (19090), PROMETHEUS_CONFIG (infra/observability/prometheus.local.yml),
# PROMETHEUS_RUN_DIR (data, log and pid file; default $TMPDIR/resoft-prometheus-<port>),
# PROMETHEUS_START_TIMEOUT_S (30). The data is a throwaway: every start keeps the run dir's TSDB,
# stop leaves it for a look afterwards.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PORT="${PROMETHEUS_PORT:-19090}"
CONFIG="${PROMETHEUS_CONFIG:-$SCRIPT_DIR/../observability/prometheus.local.yml}"
RUN_DIR="${PROMETHEUS_RUN_DIR:-${TMPDIR:-/tmp}/resoft-prometheus-${PORT}}"
PID_FILE="$RUN_DIR/prometheus.pid"
LOG_FILE="$RUN_DIR/prometheus.log"
START_TIMEOUT_S="${PROMETHEUS_START_TIMEOUT_S:-30}"
STOP_TIMEOUT_S="${PROMETHEUS_STOP_TIMEOUT_S:-15}"

ENGINE_NAME="prometheus on port ${PORT}"
LOG_FILES=("$LOG_FILE")
# shellcheck source=infra/engines/engine-process.sh
source "$(dirname "${BASH_SOURCE[0]}")/engine-process.sh"

engine_answers() {
  [[ "$(curl -fsS --max-time 1 "http://127.0.0.1:${PORT}/-/ready" 2>/dev/null)" == *Ready* ]]
}

cmd_install() {
  if command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; then
    echo "prometheus is installed: $(prometheus --version 2>&1 | head -1)"
    return 0
  fi
  if [[ "$(id -u)" -ne 0 ]]; then
    echo "prometheus is missing and this is not root: run as root, or: sudo apt-get install -y prometheus" >&2
    exit 1
  fi
  echo "installing prometheus with apt-get"
  apt-get update -qq
  # The package's post-install tries to start a systemd unit; without systemd that is a harmless no-op.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
  echo "installed: $(prometheus --version 2>&1 | head -1)"
}

cmd_start() {
  command -v prometheus >/dev/null 2>&1 || { echo "prometheus is missing; run: $0 install" >&2; exit 1; }
  mkdir -p "$RUN_DIR/data"
  if running_pid >/dev/null && engine_answers; then
    echo "prometheus already running on port ${PORT} (pid $(cat "$PID_FILE"))"
    echo "PROMETHEUS_URL=http://127.0.0.1:${PORT}"
    return 0
  fi
  if engine_answers; then
    echo "port ${PORT} already answers as Prometheus but not from a server this script started; pick another PROMETHEUS_PORT" >&2
    exit 1
  fi
  promtool check config "$CONFIG" >/dev/null || { echo "the configuration ${CONFIG} does not pass promtool check config" >&2; exit 1; }
  rm -f "$PID_FILE"
  : >"$LOG_FILE"
  # setsid: its own session, so it outlives this shell; the pid written is the server's (exec).
  # --web.enable-lifecycle lets `curl -XPOST .../-/reload` pick up edited rules without a restart.
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$PID_FILE" prometheus \
    --config.file="$CONFIG" \
    --storage.tsdb.path="$RUN_DIR/data" \
    --storage.tsdb.retention.time=2d \
    --web.listen-address="127.0.0.1:${PORT}" \
    --web.enable-lifecycle \
    </dev/null >>"$LOG_FILE" 2>&1 &
  wait_until_answers "$START_TIMEOUT_S" || exit 1
  echo "prometheus running on port ${PORT} (pid $(cat "$PID_FILE" 2>/dev/null || echo '?'), run dir ${RUN_DIR})"
  echo "PROMETHEUS_URL=http://127.0.0.1:${PORT}"
}

cmd_stop() { stop_engine_process; }

cmd_status() { report_status "PROMETHEUS_URL=http://127.0.0.1:${PORT}"; }

dispatch_engine_command "$@"
