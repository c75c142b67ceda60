#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Read-after-write on one worker (issue 14, point 1): with a single HTTP
# worker, proof and tile reads interleaved with writes must never leave that
# worker's connection on an old snapshot. After each proof or tile read, a
# write is read back on every read path: the entry, its bundle, its tile, a
# proof for it, the member list, coverage (a fact just recorded) and sealed
# content; and a sealed member's pledge announce works right after its
# member announce.
source "$(dirname "$0")/lib.sh"
LG=$(dirname "$W")/willing-loadgen

new_ledger fresh
SEAL=1 start_server fresh --threads 1 --seal-batch 2
new_member gb coordinator
new_member us member
new_member xa member --sealed
port=${URL##*:}
"$LG" --key "$T/us.key" --origin test.example/fresh --port "$port" --clients 1 --batch 300 \
  --count 300 >/dev/null
wait_checkpoint 300
check "a log of 300+ entries, published" [ "$(curl -fs "$URL/log/checkpoint" | sed -n 2p)" -ge 300 ]

# tlog-tiles paths: N in x-prefixed 3-digit groups
tpath() { python3 -c '
import sys
n=int(sys.argv[1]); g=[]
while True:
    g.append("%03d" % (n % 1000)); n //= 1000
    if n == 0: break
print("/".join(["x"+x for x in reversed(g[1:])] + [g[0]]))' "$1"; }
# the old-snapshot trap: reads that walk full tiles (proof hashes are cached
# once read, so each proof asks for a leaf whose sibling has not been read yet)
PIN=0
pin() {
  curl -fs -o /dev/null "$URL/api/v1/proof/inclusion?index=$PIN&size=256"
  curl -fs -o /dev/null "$URL/log/tile/0/000"
  PIN=$(((PIN + 2) % 256))
}
append() {
  "$W" append --server "$URL" --key "$T/us.key" --kind statement --body "{\"text\":\"$1\"}" |
    awk '/^index/ {print $2}'
}

for round in 1 2 3; do
  pin
  idx=$(append "round $round")
  check "round $round: the entry just appended ($idx) reads back" \
    [ "$(status GET "/api/v1/entries/$idx")" = 200 ]
  pin
  wait_checkpoint $((idx + 1))
  size=$(curl -fs "$URL/log/checkpoint" | sed -n 2p)
  check "  ... an inclusion proof for it in the published tree ($size)" \
    [ "$(status GET "/api/v1/proof/inclusion?index=$idx&size=$size")" = 200 ]
  pin
  w=$((size % 256)); [ "$w" = 0 ] && w=256
  p=$(tpath $((  (size - 1) / 256 )))
  suffix=$([ "$w" = 256 ] && echo "" || echo ".p/$w")
  check "  ... its entry bundle" [ "$(status GET "/log/tile/entries/$p$suffix")" = 200 ]
  pin
  check "  ... its tile" [ "$(status GET "/log/tile/0/$p$suffix")" = 200 ]
  pin
  check "  ... the consistency proof from the previous size" \
    [ "$(status GET "/api/v1/proof/consistency?from=10&to=$size")" = 200 ]
done

pin
new_member fr member
check "members: a member just added is listed" \
  sh -c "curl -fs '$URL/api/v1/members' | grep -q '\"fr\"'"

pin
"$W" coverage --server "$URL" --key "$T/gb.key" --view coordinator --json >/dev/null
pin
"$W" append --server "$URL" --key "$T/gb.key" --kind fact.record --body '{"fact":"f-one"}' >/dev/null
pin
"$W" coverage --server "$URL" --key "$T/gb.key" --view coordinator --json >"$T/cov.json"
check "coverage: a fact just recorded is seen (not a cached old view)" \
  python3 -c "import json; assert 'f-one' in json.load(open('$T/cov.json'))['facts']"

pin
out=$("$W" pledge add --server "$URL" --key "$T/xa.key" --category training --quantity 3 --unit teams)
ID=$(awk '/^sealed/ {print $2; exit}' <<<"$out")
pin
check "sealed: content just sealed reads back" \
  sh -c "'$W' pledge show --server '$URL' --key '$T/xa.key' '$ID' >/dev/null"
# each look for the envelope after tile reads too
pinned_envelope() { pin; has_envelope "$@"; }
check "  ... and its envelope is published" \
  wait_for "the envelope of $ID" pinned_envelope "$T/xa.key" "$ID"
pin
check "a sealed member announces" "$W" member announce --server "$URL" --key "$T/xa.key"
pin
check "  ... and at once announces its pledge" \
  "$W" pledge announce --server "$URL" --key "$T/xa.key" "$ID"
kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
check "fsck: every derived record agrees with the log and the sealed content" \
  "$W" fsck --db "$(db_of fresh)"
finish
