#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `willing clear` re-runs a clearing from its inputs, offline: who binds, and
# for the others why not and what would make them bind; refused conditions
# and malformed inputs get a clear message and a non-zero exit.
source "$(dirname "$0")/lib.sh"

cat >"$T/in.json" <<'JSON'
{"facts": ["ceasefire-signed"],
 "pledges": [
  {"id": "uk-1", "member": "gb", "category": "ground_forces", "unit": "troops", "quantity": "5000",
   "condition": "requires(us)"},
  {"id": "us-1", "member": "us", "category": "air_policing", "unit": "aircraft", "quantity": "24",
   "condition": "all(fact(ceasefire-signed), at_least(2, ground_forces))"},
  {"id": "fr-1", "member": "fr", "category": "ground_forces", "unit": "troops", "quantity": "4000",
   "condition": {"requires": "gb"}},
  {"id": "xa-1", "member": "xa", "category": "ground_forces", "unit": "troops", "quantity": "2000",
   "condition": "all(requires(us), at_least(5, ground_forces))"},
  {"id": "uk-f", "member": "gb", "category": "finance", "unit": "gbp", "quantity": "1600000000"}
 ]}
JSON
"$W" clear --input "$T/in.json" --json >"$T/out.json"
check "mutual and threshold conditions clear as expected" python3 -c "
import json; o=json.load(open('$T/out.json'))
assert o['binding']==['uk-1','us-1','fr-1','uk-f'], o
assert [x['id'] for x in o['not_binding']]==['xa-1'], o
assert 'needs 3 more members with ground_forces' in o['not_binding'][0]['reason'], o"
sed 's/"ceasefire-signed"\]/]/' "$T/in.json" >"$T/nofact.json"
"$W" clear --input "$T/nofact.json" >"$T/out.txt"
check "retracting the fact unwinds the chain it held up (fr-1 still rests on gb's finance pledge)" grep -q '^2 of 5 pledges binding' "$T/out.txt"
check "  ... with the reason" grep -q 'not binding  us-1 (us, air_policing): fact(ceasefire-signed) is not recorded' "$T/out.txt"
echo '{"pledges":[{"id":"a","member":"x","category":"c","unit":"u","quantity":"1","condition":"not(requires(y))"}]}' >"$T/not.json"
out=$("$W" clear --input "$T/not.json" 2>&1 || true)
check "a 'not' condition is refused and the message says why" grep -q 'never be undone by others joining' <<<"$out"
echo '{"pledges":[{"id":"a","member":"x"}]}' >"$T/bad.json"
check "a pledge without its fields is refused" sh -c "! '$W' clear --input '$T/bad.json' 2>/dev/null"
echo '{"pledges": [' >"$T/trunc.json"
out=$("$W" clear --input "$T/trunc.json" 2>&1 || true)
check "malformed JSON names the line and column" grep -q 'line 2, column' <<<"$out"
finish
