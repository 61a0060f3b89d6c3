#!/usr/bin/env bash
# Installs and runs a local FerretDB v1 (MongoDB wire protocol over SQLite) for the
# MongoDB read store's integration tests: pure Go, built from the Go module proxy.
#
#   ferretdb.sh install   build the binary into the cache dir, unless it is there at the right version
#   ferretdb.sh start     start it on 127.0.0.1:$FERRETDB_PORT and print MONGO_URL=...; it starts on
#                         EMPTY data (a throwaway engine for tests: it says so) unless FERRETDB_KEEP_DATA=1
#   ferretdb.sh stop      stop it (by its pid file) and remove its run dir, data included (FERRETDB_KEEP_DATA=1 keeps the data)
#   ferretdb.sh status    say whether it runs
#
# Environment: RESOFT_ENGINES_DIR (cache, default ~/.cache/resoft-engines), FERRETDB_PORT
# (default 27217), FERRETDB_RUN_DIR (default $TMPDIR/resoft-ferretdb-<port>).
set -euo pipefail

FERRETDB_VERSION="v1.24.2"
ENGINES_DIR="${RESOFT_ENGINES_DIR:-$HOME/.cache/resoft-engines}"
BIN_DIR="$ENGINES_DIR/bin"
BIN="$BIN_DIR/ferretdb"
PORT="${FERRETDB_PORT:-27217}"
RUN_DIR="${FERRETDB_RUN_DIR:-${TMPDIR:-/tmp}/resoft-ferretdb-$PORT}"
PID_FILE="$RUN_DIR/ferretdb.pid"
LOG_FILE="$RUN_DIR/ferretdb.log"
START_TIMEOUT_S=30

log() { echo "ferretdb.sh: $*" >&2; }

installed_version() {
  [ -x "$BIN" ] || return 1
  # `ferretdb --version` prints "version: v1.24.2" among other lines.
  "$BIN" --version 2>/dev/null | grep -Eq "^version: $FERRETDB_VERSION\$"
}

# `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2` builds a binary that panics at
# start-up ("Invalid build/version/version.txt file content"): FerretDB embeds that file, which its
# release process generates from git and the module zip lacks. So the module source is fetched
# from the Go module proxy (`go mod download`), copied, given that file, and built from the copy.
cmd_install() {
  if installed_version; then
    log "ferretdb $FERRETDB_VERSION already installed at $BIN"
    return 0
  fi
  command -v go >/dev/null || { log "go is not on PATH; install Go 1.24+ first"; exit 1; }
  mkdir -p "$BIN_DIR"
  local started=$SECONDS src work
  work="$(mktemp -d)"
  # Expanded now: `work` is local and gone by the time the EXIT trap runs.
  trap "chmod -R u+w '$work' 2>/dev/null; rm -rf '$work'" EXIT
  log "fetching github.com/FerretDB/FerretDB@$FERRETDB_VERSION ($(go version))"
  src="$(cd "$work" && go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
  [ -d "$src" ] || { log "go mod download did not report a source dir"; exit 1; }
  cp -R "$src" "$work/ferretdb"
  chmod -R u+w "$work/ferretdb"
  echo "$FERRETDB_VERSION" >"$work/ferretdb/build/version/version.txt"
  log "building cmd/ferretdb (pure Go, CGO_ENABLED=0) into $BIN"
  (cd "$work/ferretdb" && CGO_ENABLED=0 go build -trimpath -buildvcs=false -o "$BIN" ./cmd/ferretdb)
  log "built in $((SECONDS - started)) s"
  installed_version || { log "the built binary does not report version $FERRETDB_VERSION"; "$BIN" --version >&2 || true; exit 1; }
}

running_pid() {
  [ -f "$PID_FILE" ] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

port_answers() {
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null
}

cmd_start() {
  if pid="$(running_pid)"; then
    log "already running (pid $pid)"
    echo "MONGO_URL=mongodb://127.0.0.1:$PORT/"
    return 0
  fi
  [ -x "$BIN" ] || { log "no binary at $BIN: run '$0 install' first"; exit 1; }
  if port_answers; then
    log "port $PORT is already taken by another process; choose another with FERRETDB_PORT"
    exit 1
  fi
  if [ "${FERRETDB_KEEP_DATA:-0}" = 1 ]; then
    log "FERRETDB_KEEP_DATA=1: keeping the data in $RUN_DIR/data"
  else
    if [ -d "$RUN_DIR/data" ] && [ -n "$(ls -A "$RUN_DIR/data" 2>/dev/null)" ]; then
      log "WIPING the data left in $RUN_DIR/data by an earlier run (start always begins empty; FERRETDB_KEEP_DATA=1 keeps it)"
    fi
    remove_run_dir
  fi
  mkdir -p "$RUN_DIR/data" "$RUN_DIR/state"
  log "starting ferretdb on 127.0.0.1:$PORT (SQLite in $RUN_DIR/data, log $LOG_FILE)"
  # --debug-addr=- : no debug HTTP listener, whose default port (8088) another process may hold.
  nohup "$BIN" \
    --listen-addr="127.0.0.1:$PORT" \
    --handler=sqlite \
    --sqlite-url="file:$RUN_DIR/data/" \
    --state-dir="$RUN_DIR/state" \
    --telemetry=disable \
    --debug-addr=- \
    --log-level=warn \
    >"$LOG_FILE" 2>&1 </dev/null &
  echo $! >"$PID_FILE"

  local deadline=$((SECONDS + START_TIMEOUT_S))
  until port_answers; do
    if ! running_pid >/dev/null; then
      log "ferretdb exited during start-up; log tail:"
      tail -n 30 "$LOG_FILE" >&2
      exit 1
    fi
    if [ $SECONDS -ge $deadline ]; then
      log "port $PORT did not answer within ${START_TIMEOUT_S} s; log tail:"
      tail -n 30 "$LOG_FILE" >&2
      cmd_stop
      exit 1
    fi
    sleep 0.2
  done
  log "running (pid $(cat "$PID_FILE"))"
  echo "MONGO_URL=mongodb://127.0.0.1:$PORT/"
}

cmd_stop() {
  local pid
  if pid="$(running_pid)"; then
    log "stopping pid $pid"
    kill "$pid"
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "pid $pid still alive after 10 s; sending SIGKILL"
      kill -9 "$pid"
    fi
  else
    log "not running"
  fi
  if [ "${FERRETDB_KEEP_DATA:-0}" = 1 ]; then
    rm -f "$PID_FILE"
  else
    remove_run_dir
  fi
}

# Only what start put there, so a FERRETDB_RUN_DIR pointing somewhere shared loses nothing else.
remove_run_dir() {
  rm -rf "$RUN_DIR/data" "$RUN_DIR/state"
  rm -f "$PID_FILE" "$LOG_FILE"
  rmdir "$RUN_DIR" 2>/dev/null || true
}

cmd_status() {
  local pid
  if pid="$(running_pid)"; then
    echo "ferretdb running (pid $pid) on 127.0.0.1:$PORT, run dir $RUN_DIR"
  else
    echo "ferretdb not running (port $PORT)"
    return 1
  fi
}

case "${1:-}" in
  install) cmd_install ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *)
    echo "usage: $0 install|start|stop|status" >&2
    exit 2
    ;;
esac
