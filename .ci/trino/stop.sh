#!/usr/bin/env bash
# Stop the Trino test server that .ci/trino/start.sh started on SHADOWSCAN_TRINO_PORT (default 18089).
set -euo pipefail
PORT="${SHADOWSCAN_TRINO_PORT:-18089}"
VERSION="${SHADOWSCAN_TRINO_VERSION:-476}"
CACHE="${SHADOWSCAN_TRINO_CACHE:-$HOME/.cache/shadowscan-trino}"
state="$CACHE/run-$PORT"
[ -f "$state/launcher.pid" ] || { echo "no Trino test server recorded on port $PORT"; exit 0; }
"$CACHE/trino-server-core-$VERSION/bin/launcher" stop --etc-dir "$state/etc" --data-dir "$state/data" --pid-file "$state/launcher.pid"
