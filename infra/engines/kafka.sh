#!/usr/bin/env bash
# Installs and runs a single-node Apache Kafka 4.x broker (KRaft combined mode, no ZooKeeper) for
# the Kafka `EventBus` adapter's tests, from Maven Central jars: no tarball, no Docker.
#
#   bash infra/engines/kafka.sh install   # resolve kafka_2.13 and its runtime jars into the cache, unless complete
#   bash infra/engines/kafka.sh start     # prints KAFKA_BROKERS=127.0.0.1:<port>
#   bash infra/engines/kafka.sh status
#   bash infra/engines/kafka.sh stop      # stops the broker by its pid and removes its run dir
#
# Environment: KAFKA_VERSION (default below), RESOFT_ENGINES_DIR (cache, default
# ~/.cache/resoft-engines), KAFKA_PORT (19092), KAFKA_CONTROLLER_PORT (19093), KAFKA_RUN_DIR
# (config, data, log and pid file; default $TMPDIR/resoft-kafka-<port>), KAFKA_START_TIMEOUT_S (60).
# Every start formats fresh storage: the broker is a throwaway for tests, nothing survives stop.
set -euo pipefail

KAFKA_VERSION="${KAFKA_VERSION:-4.1.1}"
ENGINES_DIR="${RESOFT_ENGINES_DIR:-$HOME/.cache/resoft-engines}"
KAFKA_HOME="$ENGINES_DIR/kafka-$KAFKA_VERSION"
LIBS="$KAFKA_HOME/libs"
COMPLETE_MARK="$KAFKA_HOME/.libs-complete"
PORT="${KAFKA_PORT:-19092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-19093}"
RUN_DIR="${KAFKA_RUN_DIR:-${TMPDIR:-/tmp}/resoft-kafka-$PORT}"
PID_FILE="$RUN_DIR/kafka.pid"
LOG_FILE="$RUN_DIR/server.log"
CONFIG="$RUN_DIR/server.properties"
START_TIMEOUT_S="${KAFKA_START_TIMEOUT_S:-60}"
STOP_TIMEOUT_S="${KAFKA_STOP_TIMEOUT_S:-20}"
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

log() { echo "kafka.sh: $*" >&2; }

ENGINE_NAME="the Kafka broker on port $PORT"
LOG_FILES=("$LOG_FILE" "$RUN_DIR/stdout.log")
# shellcheck source=infra/engines/engine-process.sh
source "$SCRIPT_DIR/engine-process.sh"

libs_complete() {
  [[ -f "$COMPLETE_MARK" && -f "$LIBS/kafka_2.13-$KAFKA_VERSION.jar" ]] && compgen -G "$LIBS/slf4j-simple-*.jar" >/dev/null
}

# Runs mvn on the throwaway pom in $1, quietly; its output is shown only when it fails.
maven() {
  local dir="$1"
  shift
  if ! mvn -q -B -Dstyle.color=never -f "$dir/pom.xml" "$@" >"$dir/mvn.log" 2>&1; then
    log "mvn $* failed:"
    tail -n 40 "$dir/mvn.log" >&2
    exit 1
  fi
}

cmd_install() {
  if libs_complete; then
    log "kafka $KAFKA_VERSION already installed in $LIBS ($(ls "$LIBS" | wc -l) jars)"
    return 0
  fi
  command -v mvn >/dev/null || { log "mvn is not on PATH"; exit 1; }
  command -v java >/dev/null || { log "java (17+) is not on PATH"; exit 1; }
  local started=$SECONDS staging
  INSTALL_TMP="$(mktemp -d)"
  trap 'rm -rf "$INSTALL_TMP"' EXIT
  local work="$INSTALL_TMP"
  staging="$KAFKA_HOME/libs.partial"
  rm -rf "$staging"
  mkdir -p "$staging"
  # A throwaway pom whose only dependency is the broker: copy-dependencies then resolves exactly
  # the broker's runtime classpath (artifacts are cached in ~/.m2 for the next install).
  cat >"$work/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>resoft.engines</groupId>
  <artifactId>kafka-libs</artifactId>
  <version>0</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka_2.13</artifactId>
      <version>$KAFKA_VERSION</version>
    </dependency>
  </dependencies>
</project>
EOF
  log "resolving org.apache.kafka:kafka_2.13:$KAFKA_VERSION and its runtime dependencies from Maven Central"
  maven "$work" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$staging"
  # The broker logs through slf4j but ships no binding; slf4j-simple of the same major version
  # writes to a file chosen by a system property, so no log4j config is needed.
  local slf4j_jar slf4j_version
  slf4j_jar="$(compgen -G "$staging/slf4j-api-*.jar" | head -n 1 || true)"
  [[ -n "$slf4j_jar" ]] || { log "no slf4j-api jar among the resolved dependencies"; exit 1; }
  slf4j_version="$(basename "$slf4j_jar" .jar)"
  slf4j_version="${slf4j_version#slf4j-api-}"
  maven "$work" dependency:copy -Dartifact="org.slf4j:slf4j-simple:$slf4j_version" -DoutputDirectory="$staging"
  [[ -f "$staging/kafka_2.13-$KAFKA_VERSION.jar" ]] || { log "kafka_2.13-$KAFKA_VERSION.jar was not resolved"; exit 1; }
  rm -rf "$LIBS"
  mv "$staging" "$LIBS"
  date -u +%FT%TZ >"$COMPLETE_MARK"
  log "installed kafka $KAFKA_VERSION ($(ls "$LIBS" | wc -l) jars, slf4j-simple $slf4j_version) in $((SECONDS - started)) s: $LIBS"
}

# A metadata round trip through the client the adapter uses; a listening port alone does not mean
# the controller has elected itself and the broker has registered.
metadata_answers() {
  (cd "$SCRIPT_DIR/.." && timeout 15 node -e '
    const { Kafka, logLevel } = require("kafkajs");
    const admin = new Kafka({ brokers: [process.argv[1]], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
    admin.connect().then(() => admin.listTopics()).then(
      () => admin.disconnect().then(() => process.exit(0)),
      () => process.exit(1));
  ' "127.0.0.1:$PORT") >/dev/null 2>&1
}

# Without kafkajs (before npm install) only the port is checked, and start waits 5 s more.
CAN_CHECK_METADATA=1
(cd "$SCRIPT_DIR/.." && node -e 'require.resolve("kafkajs")') >/dev/null 2>&1 || CAN_CHECK_METADATA=0

engine_answers() {
  port_answers "$PORT" && { ((CAN_CHECK_METADATA == 0)) || metadata_answers; }
}

# The JVM options every Kafka class runs with: small heap, slf4j-simple writing to the log file.
JAVA_OPTS=(
  -Xms128m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true
  -Dorg.slf4j.simpleLogger.logFile="$LOG_FILE"
  -Dorg.slf4j.simpleLogger.defaultLogLevel=info
  -Dorg.slf4j.simpleLogger.showDateTime=true
  "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS"
  -cp "$LIBS/*"
)

# What `kafka.tools.StorageTool random-uuid` prints (16 random bytes, unpadded base64url, never
# starting with "-"), without paying for a JVM start.
random_cluster_id() {
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    [[ "$id" != -* ]] && break
  done
  echo "$id"
}

write_config() {
  cat >"$CONFIG" <<EOF
# Single-node KRaft, written by infra/engines/kafka.sh for tests.
process.roles=broker,controller
node.id=1
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
controller.quorum.bootstrap.servers=127.0.0.1:$CONTROLLER_PORT
log.dirs=$RUN_DIR/data
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
auto.create.topics.enable=false
delete.topic.enable=true
# Tests create groups all the time: do not wait 3 s for more members before the first rebalance.
group.initial.rebalance.delay.ms=0
EOF
}

cmd_start() {
  libs_complete || { log "kafka $KAFKA_VERSION is not installed; run: $0 install"; exit 1; }
  local pid
  if pid="$(running_pid)" && port_answers "$PORT"; then
    log "already running on port $PORT (pid $pid)"
    echo "KAFKA_BROKERS=127.0.0.1:$PORT"
    return 0
  fi
  local port
  for port in "$PORT" "$CONTROLLER_PORT"; do
    if port_answers "$port"; then
      log "port $port is taken by a process this script did not start; pick other KAFKA_PORT/KAFKA_CONTROLLER_PORT"
      exit 1
    fi
  done
  local started=$SECONDS cluster_id
  log "formatting fresh storage in $RUN_DIR (every start begins with no topics and no group offsets; see docs/deployment.md for how the pipeline recovers)"
  rm -rf "$RUN_DIR"
  mkdir -p "$RUN_DIR/data"
  write_config
  cluster_id="$(random_cluster_id)"
  # --standalone makes this node the sole voter of a dynamic quorum (KIP-853).
  if ! java "${JAVA_OPTS[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$CONFIG" --standalone >>"$RUN_DIR/stdout.log" 2>&1; then
    log "formatting the storage failed"
    log_tail
    exit 1
  fi
  # setsid: the broker gets its own session, so it outlives this shell and its job control. The
  # inner shell writes its own pid and then becomes java, so the pid file names the broker itself.
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$PID_FILE" java "${JAVA_OPTS[@]}" kafka.Kafka "$CONFIG" \
    </dev/null >>"$RUN_DIR/stdout.log" 2>&1 &
  local waited=0
  until [[ -s "$PID_FILE" ]] || ((waited >= 50)); do sleep 0.1; waited=$((waited + 1)); done
  wait_until_answers "$START_TIMEOUT_S" cmd_stop || exit 1
  if ((CAN_CHECK_METADATA == 0)); then
    log "kafkajs is not installed: waiting 5 s past the open port instead of a metadata request"
    sleep 5
  fi
  log "kafka $KAFKA_VERSION running on port $PORT (pid $(cat "$PID_FILE"), run dir $RUN_DIR), ready in $((SECONDS - started)) s"
  echo "KAFKA_BROKERS=127.0.0.1:$PORT"
}

# SIGTERM runs the broker's controlled shutdown; SIGKILL only past STOP_TIMEOUT_S.
cmd_stop() {
  stop_engine_process >&2
  rm -rf "$RUN_DIR"
}

cmd_status() { report_status "KAFKA_BROKERS=127.0.0.1:$PORT"; }

dispatch_engine_command "$@"
