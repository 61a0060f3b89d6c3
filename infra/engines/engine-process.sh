# shellcheck shell=bash
# Shared by the engine scripts in this folder (sourced, never run): how an engine process is found
# by its pid file, waited for, stopped and reported. Each script sets, before sourcing:
#   ENGINE_NAME   how messages name the engine ("redis-server", "kafka.sh: the broker", ...)
#   PID_FILE      where the pid of the process the script started is kept
#   LOG_FILES     an array of log files whose tails explain a failure
# and defines its own engine_answers (0 when the engine serves requests) and cmd_* functions.

# The pid from PID_FILE when that process is alive; nothing (status 1) otherwise. Only the pid this
# script family wrote is ever signalled, never a process found by name.
running_pid() {
  local pid
  [[ -f "$PID_FILE" ]] || return 1
  pid="$(cat "$PID_FILE" 2>/dev/null)"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

# Status 0 when something accepts TCP connections on 127.0.0.1:$1.
port_answers() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

log_tail() {
  local file
  for file in "${LOG_FILES[@]}"; do
    if [[ -s "$file" ]]; then
      echo "--- last lines of $file ---" >&2
      tail -n 30 "$file" >&2
    fi
  done
}

# Waits until engine_answers succeeds. Fails (after showing the log) when the started process exits
# first or when $1 seconds pass; $2, if given, is run before failing on the deadline (e.g. a stop).
# A pid file not written yet (a setsid child writes its own) is not an exit.
wait_until_answers() {
  local timeout_s="$1" on_deadline="${2:-}"
  local deadline=$((SECONDS + timeout_s))
  until engine_answers; do
    if [[ -f "$PID_FILE" ]] && ! running_pid >/dev/null; then
      echo "$ENGINE_NAME exited during start-up" >&2
      log_tail
      rm -f "$PID_FILE"
      return 1
    fi
    if ((SECONDS >= deadline)); then
      echo "$ENGINE_NAME did not answer within ${timeout_s}s" >&2
      log_tail
      [[ -z "$on_deadline" ]] || "$on_deadline" >/dev/null 2>&1 || true
      return 1
    fi
    sleep 0.2
  done
}

# Stops the process named by PID_FILE: $1 (optional) is a polite command tried first, then SIGTERM;
# SIGKILL only after STOP_TIMEOUT_S. Prints whether anything was running; removes the pid file.
stop_engine_process() {
  local polite="${1:-}" pid
  pid="$(running_pid || true)"
  if [[ -z "$pid" ]]; then
    echo "$ENGINE_NAME is not running (no live pid in $PID_FILE)"
    rm -f "$PID_FILE"
    return 0
  fi
  if [[ -z "$polite" ]] || ! "$polite" >/dev/null 2>&1; then
    kill -TERM "$pid" 2>/dev/null || true
  fi
  local deadline=$((SECONDS + ${STOP_TIMEOUT_S:-10}))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      echo "$ENGINE_NAME (pid $pid) did not stop within ${STOP_TIMEOUT_S:-10}s; sending SIGKILL" >&2
      log_tail
      kill -KILL "$pid" 2>/dev/null || true
      # SIGKILL is not instant: wait (briefly) until the pid is gone, so "stopped" is true.
      local killed_deadline=$((SECONDS + 5))
      while kill -0 "$pid" 2>/dev/null && ((SECONDS < killed_deadline)); do sleep 0.1; done
      break
    fi
    sleep 0.1
  done
  rm -f "$PID_FILE"
  echo "$ENGINE_NAME stopped (pid $pid)"
}

# `status`: exit 0 and the connection lines ($@) when running and answering; 1 when the process is
# alive but does not answer; 3 (as LSB init scripts do) when it is not running.
report_status() {
  local pid
  if pid="$(running_pid)" && engine_answers; then
    echo "$ENGINE_NAME running (pid $pid)"
    local line
    for line in "$@"; do echo "$line"; done
  elif [[ -n "${pid:-}" ]]; then
    echo "$ENGINE_NAME: pid $pid is alive but does not answer" >&2
    log_tail
    exit 1
  else
    echo "$ENGINE_NAME is not running"
    exit 3
  fi
}

# The one command line every engine script takes.
dispatch_engine_command() {
  case "${1:-}" in
    install) cmd_install ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
  esac
}
