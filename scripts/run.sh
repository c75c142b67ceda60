#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make run`: the demo ledger (scripts/demo.sh, created when missing), two
# `willing witness` processes on loopback ports (their keys and state kept in
# witnesses/ beside the database, so they go on from what they cosigned), and
# `willing serve` with both as --witness. Ctrl-C (or a TERM to this script)
# stops serve and the witnesses. docs/OPERATIONS.md says how members run witnesses for real.
# Usage: scripts/run.sh path/to/willing path/to/willing.db [HOST:PORT to serve on]
set -euo pipefail
W=$(readlink -f "$1")
DB=$2
LISTEN=${3:-127.0.0.1:8080}
dir=$(dirname "$DB")
HERE=$(cd "$(dirname "$0")" && pwd)

"$HERE/demo.sh" "$W" "$DB" "$LISTEN"

wdir=$dir/witnesses
mkdir -p "$wdir"
chmod 700 "$wdir"
VKEY=$(cat "$dir/verifier-key.txt")
PIDS=()
stop() {
  for p in "${PIDS[@]:-}"; do
    [ -n "$p" ] && kill "$p" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wargs=()
: >"$dir/witness-keys.txt"
for n in 1 2; do
  name=witness-$n.demo.willing.example
  [ -e "$wdir/w$n.key" ] || "$W" keygen --out "$wdir/w$n.key" >/dev/null
  port=$(free_port)
  "$W" witness --db "$wdir/w$n.db" --key "$wdir/w$n.key" --name "$name" --log "$VKEY" \
    --listen 127.0.0.1:"$port" 2>"$wdir/w$n.log" &
  PIDS+=($!)
  for _ in $(seq 1 1500); do # 30 s at most
    grep -q 'cosignature key' "$wdir/w$n.log" 2>/dev/null && break
    kill -0 "${PIDS[-1]}" 2>/dev/null || { cat "$wdir/w$n.log" >&2; exit 1; }
    sleep 0.02
  done
  wvk=$(awk '/cosignature key/ {print $5}' "$wdir/w$n.log")
  [ -n "$wvk" ] || { echo "run: witness $n did not start" >&2; cat "$wdir/w$n.log" >&2; exit 1; }
  echo "$wvk" >>"$dir/witness-keys.txt"
  wargs+=(--witness "http://127.0.0.1:$port+$wvk")
done
cat >&2 <<MSG
  Two witnesses cosign the demo's checkpoints (their logs in $wdir/). Their keys, for the
  explorer's "Witnesses' keys" box or \`willing verify --witness KEY ... --quorum K\`:
$(sed 's/^/      /' "$dir/witness-keys.txt")
  (also in $dir/witness-keys.txt)

MSG
# in the background, so that a signal to this script (Ctrl-C, kill) runs its traps at once
"$W" serve --db "$DB" --listen "$LISTEN" "${wargs[@]}" &
PIDS+=($!)
wait "${PIDS[-1]}"
