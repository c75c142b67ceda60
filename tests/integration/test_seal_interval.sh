#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Sealed content outlives a change of --seal-interval: a pledge sealed under
# one interval, its daemon stopped before its batch closed, is published after
# a restart under another interval, with the first batch that closes at or
# after the deadline its receipt named, and its deadline stays as the receipt said.
source "$(dirname "$0")/lib.sh"

new_ledger si
# a 30-second batch: the daemon stops well before it closes, however loaded the machine
SEAL=30 start_server si --seal-batch 4
"$W" keygen --out "$T/xa.key" --member xa >/dev/null
"$W" member add --server "$URL" --key "$OPKEY" --id xa --name xa --role member \
  --pubkey-file "$T/xa.key" >/dev/null
# seal early in the batch, so the daemon stops well before the batch closes
for _ in $(seq 1 700); do [ $(($(date +%s) % 30)) -le 2 ] && break; sleep 0.05; done
out=$("$W" pledge add --server "$URL" --key "$T/xa.key" --category logistics --quantity 4 \
  --unit aircraft --json)
kill "$SERVER_PID"
wait "$SERVER_PID" || true
ID=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' <<<"$out")
DEADLINE=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["deadline"])' <<<"$out")
check "the daemon stopped before the batch closed (at $DEADLINE), the pledge unpublished" \
  [ "$(date +%s)" -lt "$DEADLINE" ]

SEAL=12 start_server si --seal-batch 4
WAIT_SECONDS=60 wait_envelope "$T/xa.key" "$ID" "$T/after.json" || true
check "restarted with --seal-interval 12, the pledge is published" grep -q '"envelope": [0-9]' "$T/after.json"
ENV=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["envelope"])' "$T/after.json")
TIME=$(curl -fs "$URL/api/v1/entries/$ENV" | python3 -c 'import json,sys; print(json.load(sys.stdin)["time"])')
check "  ... with a batch of the new interval, not before its deadline ($TIME >= $DEADLINE)" \
  [ "$((TIME % 12)):$((TIME >= DEADLINE))" = 0:1 ]
check "  ... and its deadline is still the one its receipt named" \
  python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["deadline"] == int(sys.argv[2])' \
  "$T/after.json" "$DEADLINE"
finish
