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

ENGINE_NAME="ferretdb on port $PORT"
LOG_FILES=("$LOG_FILE")
# shellcheck source=infra/engines/engine-process.sh
source "$(dirname "${BASH_SOURCE[0]}")/engine-process.sh"

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
  # shellcheck disable=SC2064 # expanded now on purpose (see above)
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

engine_answers() { port_answers "$PORT"; }

cmd_start() {
  if pid="$(running_pid)"; then
    log "already running (pid $pid)"
    echo "MONGO_URL=mongodb://127.0.0.1:$PORT/"
    return 0
  fi
  [ -x "$BIN" ] || { log "no binary at $BIN: run '$0 install' first"; exit 1; }
  if port_answers "$PORT"; then
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

  wait_until_answers "$START_TIMEOUT_S" cmd_stop || exit 1
  log "running (pid $(cat "$PID_FILE"))"
  echo "MONGO_URL=mongodb://127.0.0.1:$PORT/"
}

cmd_stop() {
  stop_engine_process >&2
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

cmd_status() { report_status "MONGO_URL=mongodb://127.0.0.1:$PORT/"; }

dispatch_engine_command "$@"
