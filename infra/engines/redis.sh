#!/usr/bin/env bash
# Starts and stops Debian's redis-server for the Redis `Ephemeral` adapter's tests: one instance on
# 127.0.0.1:${REDIS_PORT:-6479}, no persistence (the ephemeral port keeps nothing worth saving).
#
#   bash infra/engines/redis.sh install   # apt-get install redis-server, only if it is missing
#   bash infra/engines/redis.sh start     # prints REDIS_URL=redis://127.0.0.1:<port>
#   bash infra/engines/redis.sh status
#   bash infra/engines/redis.sh stop
#
# REDIS_PORT picks the port; REDIS_RUN_DIR the directory holding the pid file and the log
# (default: a per-port directory under $TMPDIR), so two instances on two ports never collide.
set -euo pipefail

PORT="${REDIS_PORT:-6479}"
RUN_DIR="${REDIS_RUN_DIR:-${TMPDIR:-/tmp}/resoft-redis-${PORT}}"
PID_FILE="${RUN_DIR}/redis.pid"
LOG_FILE="${RUN_DIR}/redis.log"
START_TIMEOUT_S="${REDIS_START_TIMEOUT_S:-20}"
STOP_TIMEOUT_S="${REDIS_STOP_TIMEOUT_S:-10}"

ENGINE_NAME="redis-server on port ${PORT}"
LOG_FILES=("$LOG_FILE")
# shellcheck source=infra/engines/engine-process.sh
source "$(dirname "${BASH_SOURCE[0]}")/engine-process.sh"

engine_answers() {
  # `timeout` so a wedged server cannot hang the script.
  [[ "$(timeout 1 redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null)" == "PONG" ]]
}

cmd_install() {
  if command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; then
    echo "redis-server is installed: $(redis-server --version)"
    return 0
  fi
  local sudo=""
  [[ "$(id -u)" -eq 0 ]] || sudo="sudo"
  echo "installing redis-server with apt-get"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends redis-server >/dev/null
  echo "installed: $(redis-server --version)"
}

cmd_start() {
  command -v redis-server >/dev/null 2>&1 || { echo "redis-server is missing; run: $0 install" >&2; exit 1; }
  mkdir -p "$RUN_DIR"
  if running_pid >/dev/null && engine_answers; then
    echo "redis-server already running on port ${PORT} (pid $(cat "$PID_FILE"))"
    echo "REDIS_URL=redis://127.0.0.1:${PORT}"
    return 0
  fi
  if engine_answers; then
    echo "port ${PORT} already answers PING but not from a server this script started; pick another REDIS_PORT" >&2
    exit 1
  fi
  rm -f "$PID_FILE"
  : >"$LOG_FILE" # so a failure's log tail shows this attempt only
  # Daemonized, so the server outlives this shell; the pid file is written by redis itself.
  # No persistence: --save '' turns RDB snapshots off, --appendonly no the AOF.
  redis-server \
    --bind 127.0.0.1 \
    --port "$PORT" \
    --save '' \
    --appendonly no \
    --dir "$RUN_DIR" \
    --daemonize yes \
    --pidfile "$PID_FILE" \
    --logfile "$LOG_FILE" \
    --protected-mode yes \
    || { echo "redis-server failed to start" >&2; log_tail; exit 1; }
  local deadline=$((SECONDS + START_TIMEOUT_S))
  until engine_answers; do
    # A daemonized server that fails (port taken, bad option) exits before writing its pid file; its log says so.
    if grep -qE 'aborting|FATAL' "$LOG_FILE" 2>/dev/null || { [[ -f "$PID_FILE" ]] && ! running_pid >/dev/null; }; then
      echo "redis-server exited during start-up" >&2
      log_tail
      rm -f "$PID_FILE"
      exit 1
    fi
    if ((SECONDS >= deadline)); then
      echo "redis-server did not answer PING on port ${PORT} within ${START_TIMEOUT_S}s" >&2
      log_tail
      exit 1
    fi
    sleep 0.1
  done
  echo "redis-server running on port ${PORT} (pid $(cat "$PID_FILE" 2>/dev/null || echo '?'), run dir ${RUN_DIR})"
  echo "REDIS_URL=redis://127.0.0.1:${PORT}"
}

redis_shutdown() {
  timeout 5 redis-cli -h 127.0.0.1 -p "$PORT" shutdown nosave
}

# A clean SHUTDOWN first, SIGTERM if that fails.
cmd_stop() { stop_engine_process redis_shutdown; }

cmd_status() { report_status "REDIS_URL=redis://127.0.0.1:${PORT}"; }

dispatch_engine_command "$@"
