#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make screenshots`: a PNG of every console page, from the demo coalition (the
# same illustrative ledger `make run` serves), into docs/screenshots/: the public
# page, the explorer and an entry verified in the browser, a member's page and
# the coordinator's, signed in with the demo's login keys; the flows page and the
# deal page (and its map alone) as the public sees them; the pressure page with a gap
# opened and each screening (a name, a CSV of names, a facility's counterparties) done;
# and the public page on a phone. Usage: scripts/screenshots.sh path/to/willing OUT_DIR
set -euo pipefail
W=$(readlink -f "$1")
OUT=$(mkdir -p "$2" && cd "$2" && pwd)
HERE=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d /tmp/willing-shots.XXXXXX)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$T"' EXIT
export XDG_STATE_HOME=$T/state
"$HERE/scripts/demo.sh" "$W" "$T/demo.db" 2>"$T/demo.log"
VKEY=$(awk '/^verifier key:/ {print $3}' "$T/demo.log")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
"$W" serve --db "$T/demo.db" --listen 127.0.0.1:$port 2>"$T/serve.log" &
pid=$!
for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.05; done
cd "$HERE/tests/browser"
node shots.mjs "http://127.0.0.1:$port" "$VKEY" "$T/keys" "$OUT"
ls "$OUT"
