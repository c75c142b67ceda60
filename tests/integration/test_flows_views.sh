#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The flows views against the real daemon: every route (the list and its pages, one
# flow, the summary by member, category and month with and without a currency, the
# instrument tree, the rates) as every viewer sees it: the public (announced and public
# flows only: a sealed flow is a 404 like one that does not exist), a member named as a
# reader, a member named nowhere, the host nation and the coordinator; CSV; the CLI's
# `willing flows list|show|summary|tree`; and a JSON 400 naming every bad parameter.
source "$(dirname "$0")/lib.sh"

new_ledger fv
SEAL=1 start_server fv --seal-batch 4
for m in gb:member fr:member pl:member ua:host co:coordinator; do
  new_member "${m%%:*}" "${m##*:}"
done
app() { "$W" append --server "$URL" --key "$T/$1.key" --kind "$2" --body "$3" 2>&1; }
sget() { # sget KEY PATH: a request signed by KEY; its status printed, its body in $T/body
  "$W" fetch --key "$T/$1.key" --status "$URL$2" >"$T/raw" 2>/dev/null || true
  head -1 "$T/raw"
  tail -n +2 "$T/raw" >"$T/body"
}
export -f sget
export W URL T
py() { python3 -c "import json,sys; o=json.load(open('$T/body')); $1"; }

# gb pledges 5000 missiles and announces it; the flows name it
out=$("$W" pledge add --server "$URL" --key "$T/gb.key" --category air_defence --quantity 5000 \
  --unit missiles)
SID=$(awk '/^sealed/ {print $2; exit}' <<<"$out")
PID=$(awk '/^pledge / {print $2; exit}' <<<"$out")
wait_envelope "$T/gb.key" "$SID"
"$W" pledge announce --server "$URL" --key "$T/gb.key" "$SID" >/dev/null
DAY=$(date -u +%Y-%m-%d)
# the day after: the latest a flow signed today may be dated (a day's tolerance), so the lag is 1
NEXT=$(date -u -d '+1 day' +%Y-%m-%d)
F1=$(printf 'a%.0s' {1..32}); F2=$(printf 'b%.0s' {1..32}); F3=$(printf 'c%.0s' {1..32})
check "gb reports a public delivery against its announced pledge" bash -c "'$W' append --server '$URL' --key '$T/gb.key' --kind flow --body '{\"flow\":\"$F1\",\"pledge\":\"$PID\",\"stage\":\"delivery\",\"date\":\"$NEXT\",\"quantity\":\"500\",\"unit\":\"missiles\"}' >/dev/null"
check "gb seals a commitment naming fr as a reader" bash -c "'$W' seal --server '$URL' --key '$T/gb.key' --kind flow --body '{\"flow\":\"$F2\",\"activity\":\"GB-1\",\"category\":\"finance\",\"stage\":\"commitment\",\"date\":\"$DAY\",\"amount\":\"1000.5\",\"currency\":\"GBP\",\"readers\":[\"fr\"]}' >/dev/null"
check "the host nation confirms 450 of the 500" bash -c "'$W' append --server '$URL' --key '$T/ua.key' --kind flow.confirm --body '{\"flow\":\"$F1\",\"received\":\"450\",\"date\":\"$NEXT\"}' >/dev/null"
check "the coordinator records a rate GBP to EUR" bash -c "'$W' append --server '$URL' --key '$T/co.key' --kind rate --body '{\"date\":\"$DAY\",\"from\":\"GBP\",\"to\":\"EUR\",\"rate\":\"1.2\",\"source\":\"test\"}' >/dev/null"
check "gb records a facility and a contract under it" bash -c "'$W' append --server '$URL' --key '$T/gb.key' --kind instrument --body '{\"instrument\":\"ukef\",\"name\":\"UKEF\",\"type\":\"export_credit\",\"level\":\"facility\",\"provider\":\"gb\",\"amount\":\"1600000000\",\"currency\":\"GBP\"}' >/dev/null && '$W' append --server '$URL' --key '$T/gb.key' --kind instrument --body '{\"instrument\":\"belfast\",\"name\":\"Belfast\",\"type\":\"export_credit\",\"level\":\"contract\",\"provider\":\"gb\",\"parent\":\"ukef\",\"amount\":\"1160000000\",\"currency\":\"GBP\",\"possible_more\":\"500000000\"}' >/dev/null"
check "gb reports a public disbursement under the contract" bash -c "'$W' append --server '$URL' --key '$T/gb.key' --kind flow --body '{\"flow\":\"$F3\",\"instrument\":\"belfast\",\"category\":\"air_defence\",\"stage\":\"disbursement\",\"date\":\"$DAY\",\"amount\":\"200000000\",\"currency\":\"GBP\"}' >/dev/null"
# the sealed flow is stored once its round commits: wait until the coordinator sees it
has_sealed_flow() { [ "$(sget co "/api/v1/flows/$F2")" = 200 ]; }
wait_for "the sealed flow stored" has_sealed_flow

check "public list: the public flows only, the latest answer with each" \
  bash -c "[ \$(curl -s -o '$T/body' -w '%{http_code}' '$URL/api/v1/flows') = 200 ] && python3 -c \"
import json; o=json.load(open('$T/body'))
assert o['view']=='public' and o['next'] is None, o
f={x['flow']:x for x in o['flows']}
assert set(f)=={'$F1','$F3'}, f
a=f['$F1']['answer']; assert a['kind']=='confirm' and a['received']=='450' and a['full'] is False, a\""
check "a reader (fr) sees the sealed flow too" bash -c "[ \$(sget fr /api/v1/flows) = 200 ] && python3 -c \"
import json; o=json.load(open('$T/body')); assert o['view']=='member' and len(o['flows'])==3, o\""
check "a member named nowhere (pl) does not" bash -c "[ \$(sget pl /api/v1/flows) = 200 ] && python3 -c \"
import json; o=json.load(open('$T/body')); assert len(o['flows'])==2, o\""
for who in ua co; do
  check "the $who (host or coordinator) sees every flow" bash -c "[ \$(sget $who /api/v1/flows) = 200 ] && python3 -c \"
import json; o=json.load(open('$T/body')); assert o['view']=='all' and len(o['flows'])==3, o\""
done
check "pages follow next" bash -c "curl -s '$URL/api/v1/flows?limit=1' >'$T/p1' && python3 -c \"
import json,urllib.request; o=json.load(open('$T/p1')); assert len(o['flows'])==1 and o['next'], o
p=json.load(urllib.request.urlopen('$URL'+o['next'])); assert len(p['flows'])==1 and p['next'] is None, p
assert p['flows'][0]['flow']!=o['flows'][0]['flow']\""
check "CSV of the list, with its header" bash -c "curl -s '$URL/api/v1/flows?format=csv' | head -1 | grep -q '^flow,index,author,pledge,'"

check "a sealed flow is a 404 to the public, like no flow at all" bash -c "[ \$(curl -s -o '$T/body' -w '%{http_code}' '$URL/api/v1/flows/$F2') = 404 ] && grep -q unknown_flow '$T/body'"
check "  ... and to a member it does not name" bash -c "[ \$(sget pl /api/v1/flows/$F2) = 404 ]"
check "  ... its reader gets it" bash -c "[ \$(sget fr /api/v1/flows/$F2) = 200 ] && python3 -c \"
import json; o=json.load(open('$T/body')); assert o['flow']['sealed'] is True and o['flow']['amount']=='1000.5', o\""
check "one flow with its answers" bash -c "curl -s '$URL/api/v1/flows/$F1' >'$T/body' && python3 -c \"
import json; o=json.load(open('$T/body')); a=o['flow']['answers']; assert len(a)==1 and a[0]['received']=='450', o
assert [x['flow'] for x in o['chain']]==['$F1'], o\""

check "public summary by member: pledged, delivered, confirmed side by side; the lag" bash -c "curl -s '$URL/api/v1/flows/summary?by=member' >'$T/body' && python3 -c \"
import json; o=json.load(open('$T/body')); r={x['key']:x for x in o['rows']}['gb']
f={(x.get('unit') or x.get('currency')):x for x in r['figures']}
m=f['missiles']; assert (m['pledged'],m['delivered'],m['confirmed'],m['disputed'])==('5000','500','450','0'), m
assert f['GBP']['disbursed']=='200000000' and f['GBP']['committed']=='0', f
assert r['lag_days']=={'median':1,'p90':1,'pledges':1}, r\""
check "the coordinator's summary counts the sealed commitment" bash -c "[ \$(sget co '/api/v1/flows/summary?by=category') = 200 ] && python3 -c \"
import json; o=json.load(open('$T/body')); r={x['key']:x for x in o['rows']}['finance']
assert r['figures'][0]['committed']=='1000.5', r\""
check "converted into EUR naming the rate used" bash -c "[ \$(sget co '/api/v1/flows/summary?by=member&currency=EUR') = 200 ] && python3 -c \"
import json; c=json.load(open('$T/body'))['converted']; r={x['key']:x for x in c['rows']}['gb']
assert r['committed']=='1200.6' and r['disbursed']=='240000000', r
assert [(x['from'],x['to'],x['rate'])  for x in c['rates']]==[('GBP','EUR','1.2')], c
assert c['not_convertible']==[], c\""
check "into USD, for which there is no rate: not convertible, nothing guessed" bash -c "curl -s '$URL/api/v1/flows/summary?by=member&currency=USD' >'$T/body' && python3 -c \"
import json; c=json.load(open('$T/body'))['converted']
assert c['rates']==[] and [x['flow'] for x in c['not_convertible']]==['$F3'], c
r=[x for x in c['rows'] if x['key']=='gb'][0]
assert r['disbursed'] is None and r['not_convertible']==1 and r['allocated']=='0', r\""
check "... and the CLI says so in the row, not 0" bash -c "'$W' flows summary --server '$URL' --by member --currency USD | grep -q '^gb .*disbursed=not-convertible.*not_convertible=1'"
check "summary CSV in EUR: the converted totals and the rates used" bash -c "[ \$(sget co '/api/v1/flows/summary?by=member&currency=EUR&format=csv') = 200 ] &&
grep -q '^gb,converted,EUR,.*,240000000,' '$T/body' && grep -q '^date,from,to,rate,entry' '$T/body' && grep -q ',GBP,EUR,1.2,[0-9]' '$T/body'"
check "summary CSV in USD: not convertible, never 0" bash -c "curl -s '$URL/api/v1/flows/summary?by=member&currency=USD&format=csv' | grep -q '^gb,converted,USD,.*,not convertible,'"
check "summary by month as CSV, without a currency no rates section" bash -c "curl -s '$URL/api/v1/flows/summary?by=month&format=csv' >'$T/body' && head -1 '$T/body' | grep -q '^key,measure,unit_or_currency,pledged,committed' && ! grep -q '^date,from' '$T/body'"

check "the instrument tree: drawn and left" bash -c "curl -s '$URL/api/v1/flows/instruments' >'$T/body' && python3 -c \"
import json; t=json.load(open('$T/body'))['instruments'][0]; c=t['children'][0]
assert (t['instrument'],t['drawn'],t['left'])==('ukef','200000000','1400000000'), t
assert (c['instrument'],c['drawn'],c['left'],c['possible_more'])==('belfast','200000000','960000000','500000000'), c\""
check "one instrument" bash -c "curl -s '$URL/api/v1/flows/instruments/belfast' | grep -q '\"left\":\"960000000\"'"
check "the rates" bash -c "curl -s '$URL/api/v1/flows/rates' | grep -q '\"rate\":\"1.2\"'"

bad() { # bad PATH STATUS CODE WORD: a JSON error of that status and code whose message names WORD
  local st; st=$(curl -s -o "$T/body" -w '%{http_code}' "$URL$1")
  [ "$st" = "$2" ] && python3 -c "
import json,sys; o=json.load(open('$T/body')); assert o['error']=='$3' and '$4' in o['message'], o"
}
check "by=year: 400 naming by" bad '/api/v1/flows/summary?by=year' 400 bad_query by
check "a lower-case currency: 400" bad '/api/v1/flows/summary?by=member&currency=eur' 400 bad_query currency
check "an unknown currency: 400 naming it" bad '/api/v1/flows/summary?by=member&currency=XYZ' 400 bad_query XYZ
check "a withdrawn currency: 400 naming its withdrawal" bad '/api/v1/flows/summary?by=member&currency=BYR' 400 bad_query withdrawn
check "limit 0: 400" bad '/api/v1/flows?limit=0' 400 bad_query limit
check "limit 1001: 400" bad '/api/v1/flows?limit=1001' 400 bad_query limit
check "an unknown stage: 400" bad '/api/v1/flows?stage=shipped' 400 bad_query stage
check "a pledge that is not 32 hex digits: 400" bad '/api/v1/flows?pledge=xyz' 400 bad_query pledge
check "an unknown parameter: 400 naming it" bad '/api/v1/flows?colour=red' 400 bad_query colour
check "format=xml: 400" bad '/api/v1/flows?format=xml' 400 bad_query format
check "view=coordinator: 400 (who signs decides)" bad '/api/v1/flows?view=coordinator' 400 bad_query view
check "a flow id that is not hex: 400" bad '/api/v1/flows/zzz' 400 bad_query flow
check "an unknown flow: 404" bad "/api/v1/flows/$(printf 'd%.0s' {1..32})" 404 unknown_flow flow
check "an unknown instrument: 404" bad '/api/v1/flows/instruments/nope' 404 unknown_instrument nope
check "rates take no parameter" bad '/api/v1/flows/rates?x=1' 400 bad_query x
check "a forged signature is refused, not taken for the public" bash -c "curl -s -o '$T/body' -w '%{http_code}' -H 'Signature: sig1=:AAAA:' -H 'Signature-Input: sig1=(\"@method\");keyid=\"gb\"' '$URL/api/v1/flows' | grep -q '^4' && grep -q '\"error\"' '$T/body'"
check "the server keeps serving" bash -c "curl -sf '$URL/api/v1/flows' >/dev/null"

# the CLI
check "flows list: the public's" bash -c "'$W' flows list --server '$URL' | grep -c '^[0-9a-f]\{32\}' | grep -qx 2"
check "flows list --key: fr's three" bash -c "'$W' flows list --server '$URL' --key '$T/fr.key' --json | python3 -c 'import json,sys; assert len(json.load(sys.stdin))==3'"
check "flows list --csv" bash -c "'$W' flows list --server '$URL' --csv | head -1 | grep -q '^flow,index'"
check "flows show" bash -c "'$W' flows show --server '$URL' $F1 | grep -q 'confirm'"
check "flows summary" bash -c "'$W' flows summary --server '$URL' --by member | grep -q missiles"
check "flows summary --currency" bash -c "'$W' flows summary --server '$URL' --key '$T/co.key' --by member --currency EUR | grep -q 'rate .*GBP->EUR 1.2'"
check "flows tree" bash -c "'$W' flows tree --server '$URL' | grep -q 'belfast.*left 960000000'"
for sub in list show summary tree; do
  check "flows $sub --help" bash -c "'$W' flows $sub --help | grep -q 'usage: willing flows $sub'"
done
check "flows summary without --by: usage, status 2" bash -c "'$W' flows summary --server '$URL' 2>/dev/null; [ \$? = 2 ]"

# the CSV of the list holds every flow, past one page (the console's link says so)
FL=$T/many.csv
{ echo 'Project,Paid on,Amount'; for i in $(seq 1 150); do echo "PL-$i,$DAY,$i"; done; } >"$FL"
check "pl imports 150 public flows" "$W" flows import-csv --server "$URL" --key "$T/pl.key" \
  --map "activity=Project,date=Paid on,amount=Amount,currency='PLN',stage='disbursement',category='finance'" "$FL"
check "the CSV of every flow holds all of them, the JSON pages 100 at a time" bash -c "
[ \$(curl -s '$URL/api/v1/flows?format=csv&member=pl' | tail -n +2 | wc -l) = 150 ] &&
[ \$(curl -s '$URL/api/v1/flows?format=csv' | tail -n +2 | wc -l) = 152 ] &&
curl -s '$URL/api/v1/flows?member=pl' | python3 -c 'import json,sys; o=json.load(sys.stdin); assert len(o[\"flows\"])==100 and o[\"next\"], o[\"next\"]'"
check "a CSV page with limit holds that many" bash -c "[ \$(curl -s '$URL/api/v1/flows?format=csv&limit=7' | tail -n +2 | wc -l) = 7 ]"
finish
