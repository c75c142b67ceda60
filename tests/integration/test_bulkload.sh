#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# make bench's 10-million-entry log (issue 13) is made by bench/bulkload.c straight through
# the library: here 3,000 entries. The ledger it leaves is one the daemon made: fsck passes,
# the daemon serves it and goes on writing, and `willing verify` accepts it in full. verify
# --tiles-only audits the tree alone (the leaves from the level-0 tiles, every tile above and
# the root) on the daemon (which reads its 11 full tiles once at start, the proofs' warm-up) and on a mirror served by nginx, replaying no entry, and fails on a
# mirror whose level-0 tile was altered or is missing, fetched on one connection or on eight
# (the failure named is the first in the log's order, whichever connection met it first).
source "$(dirname "$0")/lib.sh"
BL=$(dirname "$W")/willing-bulkload
source "$(dirname "$0")/nginx.sh"
trap 'stop_nginx; cleanup' EXIT

new_ledger bl
DB=$(db_of bl)
"$BL" "$DB" 3000 3 "$T/bl.db" >"$T/bl.json" 2>"$T/bl.err"
check "bulkload: 3,000 entries (the genesis, 3 members added, the statements), progress on stderr" \
  sh -c "python3 -c \"import json; o=json.load(open('$T/bl.json')); assert o['entries']==3000, o\" &&
    grep -q 'bulkload: 3000 of 3000 entries' '$T/bl.err'"
check "  ... refused on a ledger that is not fresh from willing init" \
  sh -c "! '$BL' '$DB' 6000 3 '$T/bl.db' 2>'$T/again.err' && grep -q 'holds 3000 entries' '$T/again.err'"
check "fsck: the bulk-loaded ledger is sound (every signature, hash, tile and checkpoint)" \
  "$W" fsck --db "$DB"

start_server bl
check "the daemon serves it: its checkpoint is the loader's, at 3,000" \
  sh -c "curl -fs '$URL/log/checkpoint' | sed -n 2p | grep -qx 3000"
"$W" append --server "$URL" --key "$OPKEY" --kind statement --body '{"text":"after the load"}' \
  >/dev/null
wait_checkpoint 3001
check "  ... and goes on writing after it (the operator's next entry at 3,000)" \
  sh -c "curl -fs '$URL/log/checkpoint' | sed -n 2p | grep -qx 3001"
warmed() { grep -q "willing: the tree's 11 full tiles read once" "$T/bl.log"; }
wait_for "the tree's warm-up" warmed
check "the daemon read its tree's 11 full tiles once at start (the proofs' warm-up)" warmed

"$W" verify "$URL" --vkey "$VKEY" --json >"$T/v.json"
check "verify accepts it in full: every entry replayed with its signature" python3 -c "
import json; o=json.load(open('$T/v.json'))
assert o['verdict']=='OK' and o['size']==3001 and o['replayed']==3001 and not o['tiles_only'], o"
XDG_STATE_HOME=$T/s2 "$W" verify "$URL" --vkey "$VKEY" --tiles-only --json >"$T/t.json"
check "verify --tiles-only: the tree from the tiles, no entry fetched or replayed" python3 -c "
import json; o=json.load(open('$T/t.json'))
assert o['verdict']=='OK' and o['size']==3001 and o['replayed']==0 and o['tiles_only'], o
assert o['fetched']==3001, o"
check "verify --tiles-only refuses --state (it keeps no replay to go on from)" \
  sh -c "'$W' verify '$URL' --vkey '$VKEY' --tiles-only --state '$T/x.state' 2>'$T/st.err';
    [ \$? -eq 2 ] && grep -q 'tiles-only' '$T/st.err'"

M=$T/mirror
"$W" mirror --db "$DB" --to "$M" >/dev/null
start_nginx "$M"
XDG_STATE_HOME=$T/s3 "$W" verify "$NURL" --vkey "$VKEY" --tiles-only >"$T/n.out"
check "verify --tiles-only audits the mirror served by nginx" \
  grep -q "OK: test.example/bl at size 3001: .*tiles only: 3001 leaf hashes" "$T/n.out"
# its 12 bundles fetched on 8 connections at once, and on one: the same tree, in the log's order
for c in 8 1; do
  XDG_STATE_HOME=$T/s3c$c "$W" verify "$NURL" --vkey "$VKEY" --tiles-only --connections "$c" \
    --threads 2 --json >"$T/n$c.json"
  check "  ... on $c connection(s) at once: the same verdict" python3 -c "
import json; o=json.load(open('$T/n$c.json'))
assert o['verdict']=='OK' and o['fetched']==3001 and o['connections']==$c, o"
done
XDG_STATE_HOME=$T/s3e "$W" verify "$NURL" --vkey "$VKEY" --connections 8 --threads 2 --json \
  >"$T/ne.json"
check "  ... and every entry of the mirror on 8 connections: the same verdict" python3 -c "
import json; o=json.load(open('$T/ne.json'))
assert o['verdict']=='OK' and o['replayed']==3001 and o['connections']==8, o"
check "verify --connections 0 is refused (1 to 32)" \
  sh -c "'$W' verify '$NURL' --vkey '$VKEY' --connections 0 2>'$T/c0.err';
    [ \$? -eq 2 ] && grep -q 'connections wants a number' '$T/c0.err'"
# two level-0 tiles missing: the first in the log's order is the one named, on any connections
mv "$M/tile/0/005" "$T/t005"
mv "$M/tile/0/009" "$T/t009"
for c in 8 1; do
  XDG_STATE_HOME=$T/s5$c "$W" verify "$NURL" --vkey "$VKEY" --tiles-only --connections "$c" \
    --threads 2 >"$T/miss$c.out" 2>&1 && rc=0 || rc=$?
  check "  ... fails on a mirror missing two level-0 tiles ($c connection(s)), naming the first" \
    sh -c "[ $rc -eq 1 ] && grep -q 'cannot fetch the tile .*/log/tile/0/005 of 256 hashes' \
      '$T/miss$c.out'"
done
mv "$T/t005" "$M/tile/0/005"
mv "$T/t009" "$M/tile/0/009"
# a wrong tile served in its place: tile 3's hashes at tile 6
cp "$M/tile/0/006" "$T/t006"
cp "$M/tile/0/003" "$M/tile/0/006"
XDG_STATE_HOME=$T/s6 "$W" verify "$NURL" --vkey "$VKEY" --tiles-only --connections 8 --threads 2 \
  >"$T/wrong.out" 2>&1 && rc=0 || rc=$?
check "  ... and on a mirror serving another level-0 tile in the place of one (8 connections)" \
  sh -c "[ $rc -eq 1 ] && grep -q 'FAIL (tile): tile/1/000.p/11 differs' '$T/wrong.out'"
cp "$T/t006" "$M/tile/0/006"
# one leaf hash altered in a full level-0 tile of the mirror
python3 -c "
import sys; p=sys.argv[1]; b=bytearray(open(p,'rb').read()); b[100]^=1; open(p,'wb').write(b)" \
  "$M/tile/0/004"
XDG_STATE_HOME=$T/s4 "$W" verify "$NURL" --vkey "$VKEY" --tiles-only >"$T/bad.out" 2>&1 && rc=0 || rc=$?
check "  ... and fails on a mirror whose level-0 tile was altered" \
  sh -c "[ $rc -eq 1 ] && grep -q 'FAIL (tile): tile/1/000.p/11 differs' '$T/bad.out'"
finish
