#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make run` (scripts/run.sh) over a ledger that exists already (so demo.sh only
# prints its banner): two `willing witness` processes start on loopback, serve
# publishes checkpoints cosigned by both, their keys are printed and kept in
# witness-keys.txt, verify --quorum 2 passes with them; a TERM to the script stops
# serve and both witnesses; a second run goes on with the same witness keys.
source "$(dirname "$0")/lib.sh"

mkdir -p "$T/var"
out=$("$W" init --db "$T/var/willing.db" --origin test.example/run)
VKEY=$(awk '/^verifier key:/ {print $3}' <<<"$out")
echo "$VKEY" >"$T/var/verifier-key.txt"

run_demo() { # starts scripts/run.sh on a free port: RUN_PID, URL
  local port
  port=$(free_port)
  URL=http://127.0.0.1:$port
  "$SRC/scripts/run.sh" "$W" "$T/var/willing.db" 127.0.0.1:$port >"$T/run.out" 2>&1 &
  RUN_PID=$!
  PIDS+=("$RUN_PID")
}
# cosigned_by_both: the published checkpoint carries both demo witnesses' cosignatures
cosigned_by_both() {
  [ "$(curl -fs "$URL/log/checkpoint" | grep -c '^— witness-[12].demo.willing.example ')" = 2 ]
}
none_alive() { # none_alive PID...: none of them runs
  local k
  for k in "$@"; do kill -0 "$k" 2>/dev/null && return 1; done
  return 0
}
stops_all() { # stops_all: TERM to the script; its children (serve, two witnesses) all end
  local kids
  mapfile -t kids < <(pgrep -P "$RUN_PID")
  check "run.sh runs serve and two witnesses" [ "${#kids[@]}" = 3 ]
  kill -TERM "$RUN_PID"
  wait "$RUN_PID" 2>/dev/null || true
  wait_for "serve and both witnesses to stop with the script" none_alive "${kids[@]}"
  check "serve and both witnesses stopped with the script" none_alive "${kids[@]}"
}

run_demo
wait_for "a checkpoint cosigned by both demo witnesses" cosigned_by_both
check "the witnesses' keys are printed" grep -q '^      witness-2.demo.willing.example+' "$T/run.out"
check "  ... and kept in witness-keys.txt" [ "$(grep -c '^witness-[12].demo.willing.example+' "$T/var/witness-keys.txt")" = 2 ]
mapfile -t wk <"$T/var/witness-keys.txt"
check "verify --quorum 2 passes with the demo's two witnesses" sh -c \
  "'$W' verify '$URL' --vkey '$VKEY' --witness '${wk[0]}' --witness '${wk[1]}' --quorum 2 >/dev/null"
stops_all

cp "$T/var/witness-keys.txt" "$T/keys-before"
run_demo
wait_for "the second run's checkpoint cosigned by both" cosigned_by_both
check "a second run keeps the witnesses' keys" cmp -s "$T/keys-before" "$T/var/witness-keys.txt"
stops_all
finish
