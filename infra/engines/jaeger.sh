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

ENGINE_NAME="jaeger"
LOG_FILES=("$LOG_FILE")
# shellcheck source=infra/engines/engine-process.sh
source "$(dirname "${BASH_SOURCE[0]}")/engine-process.sh"

engine_answers() {
  curl -fsS --max-time 1 "http://127.0.0.1:${QUERY_PORT}/api/services" >/dev/null 2>&1 \
    && curl -fsS --max-time 1 "http://127.0.0.1:${HEALTH_PORT}/status" >/dev/null 2>&1
}

cmd_install() {
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

cmd_start() {
  [[ -x "$BIN" ]] || { echo "jaeger is missing; run: $0 install" >&2; exit 1; }
  command -v curl >/dev/null 2>&1 || { echo "curl is missing (used to see that Jaeger answers)" >&2; exit 1; }
  mkdir -p "$RUN_DIR"
  if running_pid >/dev/null && engine_answers; then
    echo "jaeger already running (pid $(cat "$PID_FILE"))"
  else
    if engine_answers; then
      echo "port ${QUERY_PORT} already answers but not from a jaeger this script started; pick other JAEGER_*_PORT values" >&2
      exit 1
    fi
    rm -f "$PID_FILE"
    : >"$LOG_FILE"
    # OTEL_TRACES_*: Jaeger traces itself to an OTLP collector on localhost:4317 by default; with
    # nothing there it logs a connection error a second and then spends its whole stop timeout
    # trying to flush on SIGTERM.
    # setsid: the server outlives this shell and gets its own process group; we keep its pid.
    JAEGER_OTLP_PORT="$OTLP_PORT" JAEGER_QUERY_PORT="$QUERY_PORT" JAEGER_QUERY_GRPC_PORT="$QUERY_GRPC_PORT" JAEGER_HEALTH_PORT="$HEALTH_PORT" \
      OTEL_TRACES_SAMPLER=always_off OTEL_TRACES_EXPORTER=none setsid "$BIN" --config "$CONFIG" >>"$LOG_FILE" 2>&1 < /dev/null &
    echo $! >"$PID_FILE"
    wait_until_answers "$START_TIMEOUT_S" || exit 1
    echo "jaeger running (pid $(cat "$PID_FILE"), run dir ${RUN_DIR})"
  fi
  echo "JAEGER_OTLP_ENDPOINT=http://127.0.0.1:${OTLP_PORT}"
  echo "JAEGER_QUERY_URL=http://127.0.0.1:${QUERY_PORT}"
}

cmd_stop() { stop_engine_process; }

cmd_status() { report_status "JAEGER_OTLP_ENDPOINT=http://127.0.0.1:${OTLP_PORT}" "JAEGER_QUERY_URL=http://127.0.0.1:${QUERY_PORT}"; }

dispatch_engine_command "$@"
