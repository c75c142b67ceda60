#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A deal comes into force with a real witness cosigning the log (issue 10,
# point 2): a `willing witness` cosigns the log's checkpoints; Ukraine signs
# the deal last; GET /api/v1/deals/<id> dates it in force by the entry of that
# signature and names, in in_force_since.cosigned, the first checkpoint
# holding that entry that carries the witness's cosignature (read back from
# the ledger's checkpoints: no earlier cosigned checkpoint holds it), and that
# checkpoint's note carries the witness's cosignature.
source "$(dirname "$0")/lib.sh"

new_ledger dw
start_witness w1
start_server dw --witness "$WURL+$WVK"
for m in co:coordinator ua:host ru:party; do new_member "${m%%:*}" "${m##*:}"; done
DB=$(db_of dw)
TEXT=$(printf 'The draft agreement (test copy)\n' | sha256sum | cut -c1-64)

posted() { # posted MEMBER KIND BODY: its index
  "$W" append --server "$URL" --key "$T/$1.key" --kind "$2" --body "$3" | awk '/^index/ {print $2}'
}
P1=$(posted co deal.propose "{\"deal\":\"peace\",\"version\":1,\"title\":\"Draft\",\"text\":\"$TEXT\",\"parties\":[\"ru\",\"ua\"]}")
H1=$(curl -fs "$URL/api/v1/deals/peace" | python3 -c 'import json,sys; print(json.load(sys.stdin)["versions"][0]["hash"])')
posted ru deal.sign "{\"deal\":\"peace\",\"version\":1,\"hash\":\"$H1\"}" >/dev/null
S2=$(posted ua deal.sign "{\"deal\":\"peace\",\"version\":1,\"hash\":\"$H1\"}")
check "Ukraine signs last (entry $S2): the deal is in force at its entry" sh -c "
  curl -fs '$URL/api/v1/deals/peace' | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"status\"]==\"in_force\" and d[\"in_force_since\"][\"index\"]==$S2, d'"

cosigned_since() { # the deal names a cosigned checkpoint
  curl -fs "$URL/api/v1/deals/peace" | python3 -c 'import json,sys; c=json.load(sys.stdin)["in_force_since"]["cosigned"]; assert c is not None'
}
wait_for "in_force_since.cosigned once the witness has cosigned a checkpoint holding entry $S2" cosigned_since
curl -fs "$URL/api/v1/deals/peace" >"$T/deal.json"
check "in_force_since.cosigned names the first checkpoint holding the last signature that the witness cosigned" \
  python3 - "$T/deal.json" "$DB" "$S2" <<'E'
import json, wldb, sys
c = json.load(open(sys.argv[1]))['in_force_since']['cosigned']
s2 = int(sys.argv[3])
rows = wldb.connect(sys.argv[2]).execute('SELECT size, note FROM checkpoints WHERE size > ? ORDER BY size', (s2,)).fetchall()
first = [size for size, note in rows if b'\n\xe2\x80\x94 witness.example/w1 ' in bytes(note)][0]
assert c == {'size': first}, (c, first, [r[0] for r in rows])
assert c['size'] > s2
E
SIZE=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["in_force_since"]["cosigned"]["size"])' "$T/deal.json")
python3 - "$DB" "$SIZE" >"$T/cp" <<'E'
import wldb, sys
sys.stdout.write(bytes(wldb.connect(sys.argv[1]).execute('SELECT note FROM checkpoints WHERE size = ?', (int(sys.argv[2]),)).fetchone()[0]).decode())
E
check "  ... a checkpoint of that size whose note carries the witness's cosignature line" \
  sh -c "grep -q '^— witness.example/w1 ' '$T/cp' && [ \"\$(sed -n 2p '$T/cp')\" = '$SIZE' ]"
check "fsck: the deal the log makes is the deal stored" "$W" fsck --db "$DB"
finish
