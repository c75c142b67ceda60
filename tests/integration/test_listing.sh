#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The entries listing the explorer and the public pages read
# (GET /api/v1/entries): filters by kind, author, index range and time; order
# and paging; what an announcement reveals; CSV; the Atom feed; bad queries.
source "$(dirname "$0")/lib.sh"

new_ledger lst
SEAL=1 start_server lst --seal-batch 2
for m in gb fr; do
  "$W" keygen --out "$T/$m.key" --member "$m" >/dev/null
  "$W" member add --server "$URL" --key "$OPKEY" --id "$m" --name "$m" --role member \
    --pubkey-file "$T/$m.key" >/dev/null
done
for i in 1 2 3; do
  "$W" append --server "$URL" --key "$T/gb.key" --kind statement --body "{\"text\":\"gb $i\"}" >/dev/null
done
"$W" append --server "$URL" --key "$T/fr.key" --kind statement --body '{"text":"fr <1> & \"q\""}' >/dev/null
ID=$("$W" pledge add --server "$URL" --key "$T/fr.key" --category maritime --quantity 2 --unit ships |
  awk '/^sealed/ {print $2; exit}')
wait_envelope "$T/fr.key" "$ID"
"$W" pledge announce --server "$URL" --key "$T/fr.key" "$ID" >/dev/null

q() { curl -s "$URL/api/v1/entries?$1"; }
jq_() { python3 -c "import json,sys; o=json.load(sys.stdin); print($1)"; }
check "kind=statement: the four statements, oldest first" \
  [ "$(q 'kind=statement' | jq_ '[e["body"]["text"] for e in o["entries"]]')" = "['gb 1', 'gb 2', 'gb 3', 'fr <1> & \"q\"']" ]
check "author=gb&kind=statement: gb's only" [ "$(q 'kind=statement&author=gb' | jq_ 'len(o["entries"])')" = 3 ]
check "order=newest&limit=2: the two newest, and where to continue" \
  [ "$(q 'order=newest&limit=2' | jq_ '(len(o["entries"]), o["entries"][0]["index"] > o["entries"][1]["index"], "next_to" in o)')" = "(2, True, True)" ]
check "from and to: an index range" [ "$(q 'from=1&to=3' | jq_ '[e["index"] for e in o["entries"]]')" = "[1, 2]" ]
now=$(date +%s)
check "since and until: a time range" \
  [ "$(q "since=$((now + 3600))" | jq_ 'len(o["entries"])'):$(q "until=$((now + 3600))&limit=1000" | jq_ 'len(o["entries"]) > 5')" = "0:True" ]
check "kind=announce: what the announcement reveals, decoded" \
  [ "$(q 'kind=announce' | jq_ '(o["entries"][0]["revealed"]["kind"], o["entries"][0]["revealed"]["author"], o["entries"][0]["revealed"]["body"]["quantity"])')" = "('pledge', 'fr', '2')" ]
csv=$(q 'kind=statement&author=fr&format=csv')
check "format=csv: a header and quoted fields" \
  sh -c "printf '%s' '$(printf '%s' "$csv" | head -1 | tr -d '\r')' | grep -qx 'index,kind,author,time,revealed_kind,body'"
for bad in 'limit=0' 'limit=1001' 'from=x' 'order=sideways' 'format=xml' 'kind=a,b,c,d,e' 'kind=BAD!'; do
  st=$(curl -s -o "$T/body" -w '%{http_code}' "$URL/api/v1/entries?$bad")
  check "bad query $bad: 400 bad_query" sh -c "[ $st = 400 ] && grep -q bad_query '$T/body'"
done
feed=$(curl -s "$URL/feed.atom")
check "the Atom feed: XML, the announcement first, text escaped" \
  python3 -c 'import sys,xml.etree.ElementTree as E; r=E.fromstring(sys.argv[1]); ns={"a":"http://www.w3.org/2005/Atom"}; es=r.findall("a:entry",ns); t=[e.find("a:title",ns).text for e in es]; sys.exit(0 if "announces a pledge" in t[0] and any("fr <1> & \"q\"" in x for x in t) else 1)' "$feed"
finish
