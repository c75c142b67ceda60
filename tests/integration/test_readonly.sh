#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `willing serve --read-only` (issue 13 point 2, the reader's side): a reader on the ledger a
# writer serves (its SQLite file; in ctest's pg runs, the same PostgreSQL database), with no
# key file, follows the writer's checkpoints and serves the
# checkpoint, tiles, entries and proofs they cover, never more (entries committed but not yet
# checkpointed are not served); `verify` and `prove --check` pass against it; every change
# (an entry, a blob, a sign-in, a signed read's nonce) gets 503 read_only naming the primary,
# and nothing is written to the file; a query with a body (screening) is still answered.
# Ports 18550-18551 (this test's own).
source "$(dirname "$0")/lib.sh"
LG=$(dirname "$W")/willing-loadgen
WPORT=18550
RPORT=18551
WURL=http://127.0.0.1:$WPORT
RURL=http://127.0.0.1:$RPORT
load() { "$LG" --key "$T/m.key" --origin test.example/ro --port $WPORT --clients 2 --batch 10 "$@" >/dev/null; }
size_at() { curl -fs "$1/log/checkpoint" | sed -n 2p; }
covers() { local s; s=$(size_at "$1"); [ -n "$s" ] && [ "$s" -ge "$2" ]; }
committed() { curl -fs -o /dev/null "$WURL/api/v1/entries/$(($1 - 1))"; }
stop_writer() { kill -TERM "$WPID"; wait "$WPID" 2>/dev/null || true; }
start_writer() { # start_writer INTERVAL_MS
  PORT=$WPORT start_server ro --interval "$1"
  WPID=$SERVER_PID
}
# rows TABLE: how many rows the ledger's TABLE holds (read beside the daemons)
rows() { db_sql ro "select count(*) from $1"; }
# refused DESC STATUS-FILE: the answer in $T/body is 503 read_only naming the primary
refused() {
  check "$1 ($2 $(cat "$T/body"))" python3 -c "
import json,sys; o=json.load(open('$T/body'))
assert '$2'=='503', '$2'
assert o['error']=='read_only', o
assert o['message']=='this server serves reads only; write to $WURL', o"
}

new_ledger ro
start_writer 100
URL=$WURL new_member m member
load --count 40 --seq-base 1000000000000000
N1=$(curl -fs "$WURL/api/v1/entries?order=newest&limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["entries"][0]["index"]+1)')
wait_for "the writer's checkpoint of $N1" covers "$WURL" "$N1"

# --primary is the read-only server's: without --read-only it is refused, not ignored
st=0
timeout 20 "$W" serve --db "$(db_of ro)" --listen 127.0.0.1:$RPORT --primary "$WURL" \
  2>"$T/primary.err" >/dev/null || st=$?
check "serve --primary without --read-only exits 2 ($st)" [ "$st" = 2 ]
check "  ... saying --primary needs --read-only" grep -q -- '--primary needs --read-only' "$T/primary.err"

# the reader: no key file (it reads none), its own log
"$W" serve --db "$(db_of ro)" --listen 127.0.0.1:$RPORT --interval 100 --read-only --primary "$WURL" \
  --log-key "$T/none.key" --operator-key "$T/none.key" 2>>"$T/reader.log" &
SERVER_PID=$!
RPID=$SERVER_PID
PIDS+=("$RPID")
wait_serving reader 0 && ok "the reader starts without the log's or the operator's key" ||
  { not_ok "the reader did not start: $(tail -3 "$T/reader.log")"; finish; }
check "it says it is read-only" grep -q "^willing: serving test.example/ro ($N1 entries, read-only)" "$T/reader.log"
check "the reader serves the writer's checkpoint, byte for byte" \
  cmp -s <(curl -fs "$RURL/log/checkpoint") <(curl -fs "$WURL/log/checkpoint")

# 1. reads: verify against the reader, a tlog-proof from it checked offline, a tile, the list
out=$("$W" verify "$RURL" --vkey "$VKEY" --state "$T/audit" 2>&1)
check "verify passes against the reader ($out)" grep -q "OK: test.example/ro at size $N1" <<<"$out"
"$W" get --server "$RURL" 3 --raw >"$T/e3"
"$W" prove --server "$RURL" 3 >"$T/e3.tlog-proof"
out=$("$W" prove --check "$T/e3.tlog-proof" --vkey "$VKEY" "$T/e3" 2>&1)
check "a tlog-proof from the reader verifies ($out)" grep -q '^OK: the entry is at index 3 of test.example/ro' <<<"$out"
check "the reader's level-0 tile is the writer's" \
  cmp -s <(curl -fs "$RURL/log/tile/0/000.p/$N1") <(curl -fs "$WURL/log/tile/0/000.p/$N1")

# 2. changes are refused before anything is written; a read with a body is answered
nonces=$(rows nonces) sessions=$(rows sessions) entries=$(rows entries)
"$W" append --output "$T/e.note" --origin test.example/ro --key "$T/m.key" --kind statement \
  --body '{"text":"to the reader"}' >/dev/null
st=$(curl -s -o "$T/body" -w '%{http_code}' "$RURL/api/v1/entries" -H 'Content-Type: application/json' \
  --data "{\"entry\":\"$(base64 -w0 "$T/e.note")\"}")
refused "an entry posted to the reader: 503 read_only, naming the primary" "$st"
st=$(curl -s -o "$T/body" -w '%{http_code}' -X PUT "$RURL/api/v1/blobs/$(printf x | sha256sum | cut -c1-64)" \
  -H 'Content-Type: text/plain' --data x)
refused "a blob put to the reader" "$st"
st=$(curl -s -o "$T/body" -w '%{http_code}' "$RURL/api/v1/login/challenge" -H 'Content-Type: application/json' --data '{}')
refused "a sign-in's challenge asked of the reader" "$st"
out=$("$W" whoami --server "$RURL" --key "$T/m.key" 2>&1 || true)
check "a signed read (its nonce would be written) is refused read_only ($out)" grep -q "read_only\|reads only" <<<"$out"
out=$("$W" whoami --server "$WURL" --key "$T/m.key" 2>&1)
check "  ... which the writer answers" grep -q '"m"\|member: m\|\bm\b' <<<"$out"
st=$(curl -s -o "$T/body" -w '%{http_code}' "$RURL/api/v1/pressure/screen" -H 'Content-Type: text/csv' --data-binary $'name\nIvan Petrov\n')
check "a screening (a query with a body) is answered by the reader ($st)" [ "$st" != 503 ]
check "nothing was written: nonces, sessions and entries as before" \
  [ "$(rows nonces) $(rows sessions) $(rows entries)" = "$((nonces + 1)) $sessions $entries" ]
# (the one nonce more is the writer's whoami)

# 3. never past the checkpoint: entries the writer commits but has not checkpointed yet
stop_writer
start_writer 600000 # it publishes at start (nothing new), then not for ten minutes
load --count 20 --seq-base 2000000000000000
N2=$((N1 + 20))
wait_for "the writer to commit $N2 entries" committed "$N2"
check "the writer serves entry $N1 (committed)" curl -fs -o /dev/null "$WURL/api/v1/entries/$N1"
check "its checkpoint is still $N1" [ "$(size_at "$WURL")" = "$N1" ]
st=$(curl -s -o "$T/body" -w '%{http_code}' "$RURL/api/v1/entries/$N1")
check "the reader does not serve entry $N1: 404 not_checkpointed ($st $(cat "$T/body"))" \
  sh -c "[ $st = 404 ] && grep -q not_checkpointed '$T/body'"
st=$(curl -s -o /dev/null -w '%{http_code}' "$RURL/log/tile/0/000.p/$((N1 + 1))")
check "  ... nor a tile past its checkpoint ($st)" [ "$st" = 404 ]
st=$(curl -s -o /dev/null -w '%{http_code}' "$RURL/api/v1/proof/inclusion?index=1&size=$N2")
check "  ... nor a proof to a size past it ($st)" [ "$st" = 400 ]
n=$(curl -fs "$RURL/api/v1/entries?from=$((N1 - 2))" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["entries"]))')
check "  ... and lists entries up to it only ($n)" [ "$n" = 2 ]
# feed_top URL: the index of the newest entry in the server's Atom feed
feed_top() { curl -fs "$1/feed.atom" | grep -o '/entry/[0-9]*</id>' | head -1 | tr -dc 0-9; }
check "the writer's Atom feed has entry $((N2 - 1)) ($(feed_top "$WURL"))" [ "$(feed_top "$WURL")" = $((N2 - 1)) ]
check "  ... the reader's stops at its checkpoint ($(feed_top "$RURL"))" [ "$(feed_top "$RURL")" = $((N1 - 1)) ]

# 4. the writer checkpoints them: the reader follows, consistent with what it served
stop_writer
start_writer 100
wait_for "the reader to follow to $N2" covers "$RURL" "$N2"
check "the reader serves entry $N1 now" curl -fs -o /dev/null "$RURL/api/v1/entries/$N1"
out=$("$W" verify "$RURL" --vkey "$VKEY" --state "$T/audit" 2>&1)
check "verify from the reader: $N2, consistent with $N1 ($out)" \
  grep -q "OK: test.example/ro at size $N2" <<<"$out"
check "the reader said no trouble following" sh -c "! grep -q 'following the log' '$T/reader.log'"
kill -TERM "$RPID"
rc=0
wait "$RPID" 2>/dev/null || rc=$?
check "the reader stops cleanly (exit $rc)" [ "$rc" = 0 ]
finish
