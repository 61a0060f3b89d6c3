#!/usr/bin/env bash
# Starts and stops Jaeger v2 (the OpenTelemetry-Collector-based binary) for the tracing tests: an
# OTLP/HTTP receiver on 127.0.0.1:${JAEGER_OTLP_PORT:-14318} and the query API (and UI) on
# 127.0.0.1:${JAEGER_QUERY_PORT:-16696}, traces kept in memory (infra/engines/jaeger.yaml).
#
#   bash infra/engines/jaeger.sh install   # builds the binary with `go install`, only if it is missing
#   bash infra/engines/jaeger.sh start     # prints JAEGER_OTLP_ENDPOINT=… (what OTEL_EXPORTER_OTLP_ENDPOINT should be) and JAEGER_QUERY_URL=…
#   bash infra/engines/jaeger.sh status
#   bash infra/engines/jaeger.sh stop
#
# The binary is built from the Go module proxy into $RESOFT_ENGINES_DIR/bin (default
# ~/.cache/resoft-engines, the cache FerretDB's binary shares; Go's own caches stay in $HOME/go and
# ~/.cache/go-build). Jaeger's go.mod has replace directives, so `go install pkg@version` refuses it:
# it is built as a tool of a small module of ours in $RESOFT_ENGINES_DIR/jaeger-<version>-build.
# JAEGER_RUN_DIR holds the pid file and the log (default: a per-port directory under $TMPDIR).
set -euo pipefail

VERSION="${JAEGER_VERSION:-v1.75.0}" # the module version whose cmd/jaeger is Jaeger v2
OTLP_PORT="${JAEGER_OTLP_PORT:-14318}"
QUERY_PORT="${JAEGER_QUERY_PORT:-16696}"
QUERY_GRPC_PORT="${JAEGER_QUERY_GRPC_PORT:-16695}"
HEALTH_PORT="${JAEGER_HEALTH_PORT:-14133}"
ENGINES_DIR="${RESOFT_ENGINES_DIR:-$HOME/.cache/resoft-engines}"
BIN_DIR="$ENGINES_DIR/bin"
BIN="$BIN_DIR/jaeger-${VERSION}"
BUILD_DIR="$ENGINES_DIR/jaeger-${VERSION}-build"
RUN_DIR="${JAEGER_RUN_DIR:-${TMPDIR:-/tmp}/resoft-jaeger-${OTLP_PORT}}"
PID_FILE="${RUN_DIR}/jaeger.pid"
LOG_FILE="${RUN_DIR}/jaeger.log"
CONFIG="$(cd "$(dirname "$0")" && pwd)/jaeger.yaml"
START_TIMEOUT_S="${JAEGER_START_TIMEOUT_S:-60}"
STOP_TIMEOUT_S="${JAEGER_STOP_TIMEOUT_S:-10}"

log_tail() {
  if [[ -f "$LOG_FILE" ]]; then
    echo "--- last lines of ${LOG_FILE} ---" >&2
    tail -n 30 "$LOG_FILE" >&2
  fi
}

answers() {
  curl -fsS --max-time 1 "http://127.0.0.1:${QUERY_PORT}/api/services" >/dev/null 2>&1 \
    && curl -fsS --max-time 1 "http://127.0.0.1:${HEALTH_PORT}/status" >/dev/null 2>&1
}

running_pid() {
  local pid
  [[ -f "$PID_FILE" ]] || return 1
  pid="$(cat "$PID_FILE" 2>/dev/null)"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

install() {
  if [[ -x "$BIN" ]] && "$BIN" version >/dev/null 2>&1; then
    echo "jaeger is installed: ${BIN}"
    return 0
  fi
  command -v go >/dev/null 2>&1 || { echo "go is missing: Jaeger is built with go install" >&2; exit 1; }
  mkdir -p "$BUILD_DIR" "$BIN_DIR"
  local started=$SECONDS
  echo "building jaeger ${VERSION} with go (several minutes on two cores; the module and build caches make later builds fast)"
  (
    cd "$BUILD_DIR"
    [[ -f go.mod ]] || go mod init resoft.local/jaeger-tool >/dev/null 2>&1
    go get -tool "github.com/jaegertracing/jaeger/cmd/jaeger@${VERSION}"
    go build -o "$BIN.partial" github.com/jaegertracing/jaeger/cmd/jaeger
  )
  mv "$BIN.partial" "$BIN"
  echo "built ${BIN} in $((SECONDS - started)) s"
}

start() {
  [[ -x "$BIN" ]] || { echo "jaeger is missing; run: $0 install" >&2; exit 1; }
  command -v curl >/dev/null 2>&1 || { echo "curl is missing (used to see that Jaeger answers)" >&2; exit 1; }
  mkdir -p "$RUN_DIR"
  if running_pid >/dev/null && answers; then
    echo "jaeger already running (pid $(cat "$PID_FILE"))"
  else
    if answers; then
      echo "port ${QUERY_PORT} already answers but not from a jaeger this script started; pick other JAEGER_*_PORT values" >&2
      exit 1
    fi
    rm -f "$PID_FILE"
    : >"$LOG_FILE"
    # setsid: the server outlives this shell and gets its own process group; we keep its pid.
    JAEGER_OTLP_PORT="$OTLP_PORT" JAEGER_QUERY_PORT="$QUERY_PORT" JAEGER_QUERY_GRPC_PORT="$QUERY_GRPC_PORT" JAEGER_HEALTH_PORT="$HEALTH_PORT" \
      setsid "$BIN" --config "$CONFIG" >>"$LOG_FILE" 2>&1 < /dev/null &
    echo $! >"$PID_FILE"
    local deadline=$((SECONDS + START_TIMEOUT_S))
    until answers; do
      if ! running_pid >/dev/null; then
        echo "jaeger exited during start-up" >&2
        log_tail
        rm -f "$PID_FILE"
        exit 1
      fi
      if ((SECONDS >= deadline)); then
        echo "jaeger did not answer on port ${QUERY_PORT} within ${START_TIMEOUT_S}s" >&2
        log_tail
        exit 1
      fi
      sleep 0.2
    done
    echo "jaeger running (pid $(cat "$PID_FILE"), run dir ${RUN_DIR})"
  fi
  echo "JAEGER_OTLP_ENDPOINT=http://127.0.0.1:${OTLP_PORT}"
  echo "JAEGER_QUERY_URL=http://127.0.0.1:${QUERY_PORT}"
}

stop() {
  local pid
  pid="$(running_pid || true)"
  if [[ -z "$pid" ]]; then
    echo "jaeger is not running (no live pid in ${PID_FILE})"
    rm -f "$PID_FILE"
    return 0
  fi
  # The pid we started, never a process found by name.
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT_S))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      echo "jaeger (pid ${pid}) did not stop within ${STOP_TIMEOUT_S}s; sending SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
  done
  rm -f "$PID_FILE"
  echo "jaeger stopped"
}

status() {
  local pid
  if pid="$(running_pid)" && answers; then
    echo "running (pid ${pid})"
    echo "JAEGER_OTLP_ENDPOINT=http://127.0.0.1:${OTLP_PORT}"
    echo "JAEGER_QUERY_URL=http://127.0.0.1:${QUERY_PORT}"
  elif [[ -n "${pid:-}" ]]; then
    echo "pid ${pid} is alive but jaeger does not answer" >&2
    log_tail
    exit 1
  else
    echo "not running"
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
