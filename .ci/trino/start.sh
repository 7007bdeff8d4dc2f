#!/usr/bin/env bash
# Start a single-node Trino test server (coordinator + worker in one JVM) with a Hive catalog over local files.
#
#   bash .ci/trino/start.sh [--wait SECONDS] [--no-wait]
#
# Idempotent: exits 0 at once when a server already answers on the port. The Trino server-core distribution and
# the Hive connector plugin come from Maven Central through `mvn dependency:copy` (the ordinary client, so the
# machine's Maven settings apply) and are cached in $SHADOWSCAN_TRINO_CACHE (default ~/.cache/shadowscan-trino);
# only the first start downloads (~450 MB). Tests (test/helpers/trino.ts) call this script when no server answers.
# Environment: SHADOWSCAN_TRINO_PORT (18089), SHADOWSCAN_TRINO_VERSION (476: the newest server-core tarball and
# Hive plugin zip published; needs Java 24+), SHADOWSCAN_TRINO_JAVA_HOME (Temurin 25 when present).
# Prints "trino ready on http://127.0.0.1:PORT in N s" or exits non-zero naming what failed.
set -euo pipefail

PORT="${SHADOWSCAN_TRINO_PORT:-18089}"
VERSION="${SHADOWSCAN_TRINO_VERSION:-476}"
CACHE="${SHADOWSCAN_TRINO_CACHE:-$HOME/.cache/shadowscan-trino}"
WAIT=300
while [ $# -gt 0 ]; do
  case "$1" in
    --wait) WAIT="$2"; shift 2 ;;
    --no-wait) WAIT=0; shift ;;
    *) echo "start.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

url="http://127.0.0.1:$PORT"
ready() { curl -fsS -m 2 "$url/v1/info" 2>/dev/null | grep -q '"starting":false'; }
t0=$(date +%s)
if ready; then echo "trino ready on $url in 0 s (already running)"; exit 0; fi

# Java: Trino $VERSION needs Java 24 or newer.
JAVA_HOME="${SHADOWSCAN_TRINO_JAVA_HOME:-}"
if [ -z "$JAVA_HOME" ]; then
  for j in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/temurin-24-jdk-amd64; do
    [ -x "$j/bin/java" ] && { JAVA_HOME="$j"; break; }
  done
fi
if [ -z "$JAVA_HOME" ] || [ ! -x "$JAVA_HOME/bin/java" ]; then
  echo "start.sh: no Java 24+ found (set SHADOWSCAN_TRINO_JAVA_HOME); Trino $VERSION needs it" >&2; exit 1
fi
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"

home="$CACHE/trino-server-core-$VERSION"
mkdir -p "$CACHE"
# One start at a time (tests and .ci/run may race): the lock covers download, configuration and launch.
exec 9>"$CACHE/.start.lock"
flock -w 900 9 || { echo "start.sh: could not lock $CACHE/.start.lock" >&2; exit 1; }
if ready; then echo "trino ready on $url in $(( $(date +%s) - t0 )) s (started by another caller)"; exit 0; fi

fetch() { # groupId:artifactId:version:type into $CACHE/dl
  command -v mvn >/dev/null || { echo "start.sh: mvn not found (needed to fetch $1 from Maven Central)" >&2; exit 1; }
  timeout 600 mvn -q -B dependency:copy -Dartifact="$1" -DoutputDirectory="$CACHE/dl" -Dmdep.overWriteIfNewer=true >"$CACHE/mvn.log" 2>&1 \
    || { echo "start.sh: fetching $1 failed or took over 600 s (see $CACHE/mvn.log)" >&2; tail -5 "$CACHE/mvn.log" >&2; exit 1; }
}
if [ ! -x "$home/bin/launcher" ]; then
  echo "fetching Trino $VERSION server-core (first run only) …" >&2
  fetch "io.trino:trino-server-core:$VERSION:tar.gz"
  rm -rf "$home.tmp" && mkdir -p "$home.tmp"
  tar xzf "$CACHE/dl/trino-server-core-$VERSION.tar.gz" -C "$home.tmp" --strip-components=1
  mv "$home.tmp" "$home"
  rm -f "$CACHE/dl/trino-server-core-$VERSION.tar.gz"
  rm -rf "$HOME/.m2/repository/io/trino/trino-server-core/$VERSION"   # Maven's own copy: the extracted one is the cache
fi
if [ ! -d "$home/plugin/hive" ]; then
  echo "fetching Trino $VERSION Hive connector plugin (first run only) …" >&2
  fetch "io.trino:trino-hive:$VERSION:zip"
  rm -rf "$CACHE/hive.tmp" && mkdir -p "$CACHE/hive.tmp"
  (cd "$CACHE/hive.tmp" && unzip -q "$CACHE/dl/trino-hive-$VERSION.zip")
  mv "$CACHE/hive.tmp/trino-hive-$VERSION" "$home/plugin/hive"
  rm -rf "$CACHE/hive.tmp" "$CACHE/dl/trino-hive-$VERSION.zip" "$HOME/.m2/repository/io/trino/trino-hive/$VERSION"
fi

# Configuration: small memory, few threads (the machine has 2 cores shared with other work).
state="$CACHE/run-$PORT"
etc="$state/etc"
mkdir -p "$etc/catalog" "$state/data" "$state/metastore"
cat >"$etc/node.properties" <<PROPS
node.environment=shadowscan_test
node.id=shadowscan-test-$PORT
node.data-dir=$state/data
node.internal-address=127.0.0.1
PROPS
cat >"$etc/jvm.config" <<PROPS
-server
-Xmx1G
-XX:+UseSerialGC
-XX:TieredStopAtLevel=1
-XX:+ExitOnOutOfMemoryError
-XX:-UsePerfData
-Djdk.attach.allowAttachSelf=true
-XX:+EnableDynamicAgentLoading
PROPS
cat >"$etc/config.properties" <<PROPS
coordinator=true
node-scheduler.include-coordinator=true
http-server.http.port=$PORT
discovery.uri=http://127.0.0.1:$PORT
query.max-memory=512MB
query.max-memory-per-node=512MB
task.concurrency=2
task.max-worker-threads=4
task.min-drivers=2
node-scheduler.min-candidates=1
PROPS
cat >"$etc/log.properties" <<PROPS
io.trino=WARN
PROPS
# The Hive catalog: file metastore and the local file system (tables point at local:///absolute/path).
cat >"$etc/catalog/hive.properties" <<PROPS
connector.name=hive
hive.metastore=file
hive.metastore.catalog.dir=local://$state/metastore
fs.native-local.enabled=true
local.location=/
hive.allow-register-partition-procedure=true
hive.non-managed-table-writes-enabled=false
PROPS

"$home/bin/launcher" start --etc-dir "$etc" --data-dir "$state/data" --pid-file "$state/launcher.pid" >"$state/launcher.out" 2>&1 \
  || { echo "start.sh: launcher failed:" >&2; cat "$state/launcher.out" >&2; exit 1; }
[ "$WAIT" = 0 ] && { echo "trino starting on $url (log: $state/data/var/log/server.log)"; exit 0; }
while ! ready; do
  if [ $(( $(date +%s) - t0 )) -ge "$WAIT" ]; then
    echo "start.sh: Trino did not start within $WAIT s; log: $state/data/var/log/server.log" >&2
    tail -20 "$state/data/var/log/server.log" >&2 2>/dev/null || true
    exit 1
  fi
  if ! "$home/bin/launcher" status --etc-dir "$etc" --data-dir "$state/data" --pid-file "$state/launcher.pid" >/dev/null 2>&1; then
    echo "start.sh: Trino exited during start; log: $state/data/var/log/server.log" >&2
    tail -30 "$state/data/var/log/server.log" >&2 2>/dev/null || true
    exit 1
  fi
  sleep 1
done
echo "trino ready on $url in $(( $(date +%s) - t0 )) s"
