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

log_tail() {
  if [[ -s "$LOG_FILE" ]]; then
    echo "--- last lines of ${LOG_FILE} ---" >&2
    tail -n 30 "$LOG_FILE" >&2
  fi
}

answers() {
  [[ "$(curl -fsS --max-time 1 "http://127.0.0.1:${PORT}/-/ready" 2>/dev/null)" == *Ready* ]]
}

running_pid() {
  local pid
  [[ -f "$PID_FILE" ]] || return 1
  pid="$(cat "$PID_FILE" 2>/dev/null)"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

install() {
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

start() {
  command -v prometheus >/dev/null 2>&1 || { echo "prometheus is missing; run: $0 install" >&2; exit 1; }
  mkdir -p "$RUN_DIR/data"
  if running_pid >/dev/null && answers; then
    echo "prometheus already running on port ${PORT} (pid $(cat "$PID_FILE"))"
    echo "PROMETHEUS_URL=http://127.0.0.1:${PORT}"
    return 0
  fi
  if answers; then
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
  local deadline=$((SECONDS + START_TIMEOUT_S))
  until answers; do
    if [[ -f "$PID_FILE" ]] && ! running_pid >/dev/null; then
      echo "prometheus exited during start-up" >&2
      log_tail
      rm -f "$PID_FILE"
      exit 1
    fi
    if ((SECONDS >= deadline)); then
      echo "prometheus did not become ready on port ${PORT} within ${START_TIMEOUT_S}s" >&2
      log_tail
      exit 1
    fi
    sleep 0.2
  done
  echo "prometheus running on port ${PORT} (pid $(cat "$PID_FILE" 2>/dev/null || echo '?'), run dir ${RUN_DIR})"
  echo "PROMETHEUS_URL=http://127.0.0.1:${PORT}"
}

stop() {
  local pid
  pid="$(running_pid || true)"
  if [[ -z "$pid" ]]; then
    echo "prometheus is not running on port ${PORT} (no live pid in ${PID_FILE})"
    rm -f "$PID_FILE"
    return 0
  fi
  # The pid this script started, never a process found by name.
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT_S))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      echo "prometheus (pid ${pid}) did not stop within ${STOP_TIMEOUT_S}s; sending SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
  done
  rm -f "$PID_FILE"
  echo "prometheus on port ${PORT} stopped"
}

status() {
  local pid
  if pid="$(running_pid)" && answers; then
    echo "running on port ${PORT} (pid ${pid})"
    echo "PROMETHEUS_URL=http://127.0.0.1:${PORT}"
  elif [[ -n "${pid:-}" ]]; then
    echo "pid ${pid} is alive but port ${PORT} is not ready" >&2
    log_tail
    exit 1
  else
    echo "not running on port ${PORT}"
    exit 3
  fi
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
