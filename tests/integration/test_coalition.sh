#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Requirements set by the coordinator and endorsed by the host nation, facts,
# and coverage: the coordinator sees sealed pledges cleared, the public sees
# announced ones only, a member sees its own too; CSV export; and who may do
# what (a member may not set requirements or record facts, only the host
# endorses, a stale endorsement is refused); the sealed pledge rules (only a
# pledge's author amends or withdraws it, a pledge names a known category).
# The coalition module's end-to-end test (was test_coverage.sh).
source "$(dirname "$0")/lib.sh"

new_ledger cov
SEAL=1 start_server cov --seal-batch 4
for m in gb:coordinator ua:host us:member fr:member xa:member; do
  id=${m%%:*}; role=${m##*:}
  "$W" keygen --out "$T/$id.key" --member "$id" >/dev/null
  "$W" member add --server "$URL" --key "$OPKEY" --id "$id" --name "$id" --role "$role" \
    --pubkey-file "$T/$id.key" >/dev/null
done
app() { "$W" append --server "$URL" --key "$T/$1.key" --kind "$2" --body "$3" 2>&1; }

out=$(app gb requirement.set '{"requirement":"ground-1","category":"ground_forces","quantity":"10000","unit":"troops","priority":1,"needed_by":"2026-Q2"}')
SETIDX=$(awk '/^index/ {print $2}' <<<"$out")
check "the coordinator sets a requirement" [ -n "$SETIDX" ]
out=$(app fr requirement.set '{"requirement":"x","category":"ground_forces","quantity":"1","unit":"troops","priority":1}' || true)
check "a member may not set requirements (forbidden)" grep -q forbidden <<<"$out"
out=$(app gb requirement.endorse "{\"requirement\":\"ground-1\",\"set\":$SETIDX}" || true)
check "only the host nation endorses (forbidden)" grep -q forbidden <<<"$out"
out=$(app ua requirement.endorse "{\"requirement\":\"ground-1\",\"set\":$((SETIDX - 1))}" || true)
check "an endorsement of another version is refused (stale_requirement)" grep -q stale_requirement <<<"$out"
check "the host nation endorses the requirement" sh -c "'$W' append --server '$URL' --key '$T/ua.key' --kind requirement.endorse --body '{\"requirement\":\"ground-1\",\"set\":$SETIDX}' >/dev/null"
out=$(app fr fact.record '{"fact":"ceasefire-signed"}' || true)
check "a member may not record facts (forbidden)" grep -q forbidden <<<"$out"
check "the coordinator records a fact" sh -c "'$W' append --server '$URL' --key '$T/gb.key' --kind fact.record --body '{\"fact\":\"ceasefire-signed\"}' >/dev/null"

pledge() { "$W" pledge add --server "$URL" --key "$T/$1.key" "${@:2}" | awk '/^sealed/ {print $2; exit}'; }
PX=$(pledge xa --category ground_forces --quantity 2000 --unit troops --condition "all(requires(us), fact(ceasefire-signed))")
PU=$(pledge us --category air_policing --quantity 24 --unit aircraft)
PF=$(pledge fr --category ground_forces --quantity 4000 --unit troops)
for id in $PX $PU $PF; do
  wait_envelope "$T/gb.key" "$id"
done

"$W" coverage --server "$URL" --key "$T/gb.key" --view coordinator --json >"$T/coord.json"
check "coordinator's view: xa binds (us binds, the fact is recorded); 6000 of 10000, gap 4000" python3 -c "
import json; o=json.load(open('$T/coord.json'))
r=o['requirements'][0]
assert (r['binding'],r['pledged_not_binding'],r['gap'],r['endorsed'])==('6000','0','4000',True), r
assert len(o['pledges'])==3, o"
"$W" coverage --server "$URL" --json >"$T/pub0.json"
check "public view before any announcement: no pledge, the whole gap" python3 -c "
import json; o=json.load(open('$T/pub0.json'))
assert o['pledges']==[] and o['requirements'][0]['gap']=='10000', o"

"$W" pledge announce --server "$URL" --key "$T/fr.key" "$PF" >/dev/null
"$W" pledge announce --server "$URL" --key "$T/xa.key" "$PX" >/dev/null
"$W" coverage --server "$URL" --json >"$T/pub1.json"
check "public view: announced pledges only; xa's does not bind publicly (us has announced nothing)" python3 -c "
import json; o=json.load(open('$T/pub1.json'))
p={x['member']:x for x in o['pledges']}
assert set(p)=={'fr','xa'}, p
assert p['fr']['binding'] and not p['xa']['binding'], p
assert 'requires(us)' in p['xa']['reason'], p
r=o['requirements'][0]
assert (r['binding'],r['pledged_not_binding'],r['gap'])==('4000','2000','6000'), r"
"$W" coverage --server "$URL" --key "$T/us.key" --view member --json >"$T/mem.json"
check "a member's view: its own sealed pledge plus the public ones" python3 -c "
import json; o=json.load(open('$T/mem.json'))
assert sorted(x['member'] for x in o['pledges'])==['fr','us','xa'], o"
out=$("$W" coverage --server "$URL" --key "$T/fr.key" --view coordinator 2>&1 || true)
check "a member cannot see the coordinator's view" grep -q 'for members with role coordinator' <<<"$out"
"$W" coverage --server "$URL" --csv >"$T/cov.csv"
check "CSV export of the public view" sh -c "head -1 '$T/cov.csv' | grep -q '^requirement,category,unit,quantity,priority,needed_by,endorsed,binding,pledged_not_binding,gap' && grep -q '^ground-1,ground_forces,troops,10000,1,2026-Q2,yes,4000,2000,6000' '$T/cov.csv'"
# a recorded clearing anyone given the inputs can re-run
out=$("$W" clear --server "$URL" --key "$T/gb.key" --record "$T/inputs.json")
CIDX=$(awk '/^index/ {print $2}' <<<"$out")
check "the coordinator records a clearing committing to its inputs and result" [ -n "$CIDX" ]
check "  ... the inputs hold every pledge, sealed ones included" python3 -c "
import json; o=json.load(open('$T/inputs.json')); assert len(o['pledges'])==3 and o['facts']==['ceasefire-signed'], o"
out=$("$W" clear --input "$T/inputs.json" --check "$CIDX" --server "$URL")
check "anyone given the inputs re-runs it and gets the recorded result" grep -q '^OK:' <<<"$out"
sed 's/"4000"/"4001"/' "$T/inputs.json" >"$T/inputs2.json"
check "  ... and other inputs do not match" sh -c "! '$W' clear --input '$T/inputs2.json' --check $CIDX --server '$URL' >/dev/null"
check "a member cannot fetch the clearing's inputs" sh -c "! '$W' clear --server '$URL' --key '$T/fr.key' --record '$T/x.json' 2>/dev/null"
out=$(app fr clearing '{"inputs":"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=","result":"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="}' || true)
check "a member cannot record a clearing (forbidden)" grep -q forbidden <<<"$out"
# the same through the CLI's own subcommands
check "willing requirement set" sh -c "'$W' requirement set --server '$URL' --key '$T/gb.key' --id air-1 --category air_policing --quantity 24 --unit aircraft --priority 2 --needed-by 2026-Q3 >/dev/null"
A1=$("$W" requirement list --server "$URL" | awk -F'set at entry ' '/^air-1:/ {split($2,a,","); print a[1]}')
check "willing requirement endorse (version $A1)" sh -c "'$W' requirement endorse --server '$URL' --key '$T/ua.key' --id air-1 --set $A1 >/dev/null"
check "willing requirement list shows it endorsed" sh -c "'$W' requirement list --server '$URL' | grep -q '^air-1: 24 aircraft air_policing, priority 2, needed by 2026-Q3, set at entry $A1, endorsed by the host nation'"
check "willing fact retract" sh -c "'$W' fact retract --server '$URL' --key '$T/gb.key' ceasefire-signed >/dev/null"
"$W" coverage --server "$URL" --key "$T/gb.key" --view coordinator --json >"$T/coord2.json"
check "with the fact retracted, xa's pledge no longer binds, and says why" python3 -c "
import json; o=json.load(open('$T/coord2.json'))
p={x['member']:x for x in o['pledges']}
assert not p['xa']['binding'] and 'fact(ceasefire-signed) is not recorded' in p['xa']['reason'], p
r=[x for x in o['requirements'] if x['requirement']=='air-1'][0]
assert (r['binding'],r['gap'])==('24','0'), r"
check "fsck and verify replay the coalition's kinds" sh -c "'$W' verify '$URL' --vkey '$VKEY' >/dev/null"

# the sealed pledge rules, as a member meets them
seal() { "$W" seal --server "$URL" --key "$T/$1.key" --kind "$2" --body "$3" 2>&1; }
rand() { head -c 16 /dev/urandom | xxd -p; }
AP=$(rand)
check "xa seals a pledge" sh -c "'$W' seal --server '$URL' --key '$T/xa.key' --kind pledge --body '{\"pledge\":\"$AP\",\"category\":\"logistics\",\"quantity\":\"1\",\"unit\":\"units\"}' >/dev/null"
out=$(seal fr pledge "{\"pledge\":\"$(rand)\",\"amends\":\"$AP\",\"category\":\"logistics\",\"quantity\":\"2\",\"unit\":\"units\"}" || true)
check "another member amending it is refused as if it did not exist" grep -q "no pledge $AP of yours to amend or withdraw" <<<"$out"
out=$(seal fr pledge.withdraw "{\"pledge\":\"$AP\"}" || true)
check "  ... and withdrawing it too" grep -q "no pledge $AP of yours to amend or withdraw" <<<"$out"
NO=$(rand)
out=$(seal xa pledge.withdraw "{\"pledge\":\"$NO\"}" || true)
check "withdrawing a pledge that does not exist is refused" grep -q "no pledge $NO of yours" <<<"$out"
out=$(seal xa pledge "{\"pledge\":\"$(rand)\",\"category\":\"tanks\",\"quantity\":\"1\",\"unit\":\"units\"}" || true)
check "a pledge in an unknown category is refused, naming the field" grep -q "'category' must be one of" <<<"$out"
check "its author amends it" sh -c "'$W' seal --server '$URL' --key '$T/xa.key' --kind pledge --body '{\"pledge\":\"$(rand)\",\"amends\":\"$AP\",\"category\":\"logistics\",\"quantity\":\"2\",\"unit\":\"units\"}' >/dev/null"
finish
