#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Compliance per zone and day against the real daemon (issue 11, point 3): over the daily
# report's fixture (a buffer zone bz around Donetsk, eight reports around 2026-03-29),
# the counts by type inside each zone for a day's period (19:30 Kyiv time), the weapons
# inside it, the reports naming only an oblast counted by oblast and never in a zone,
# restrictions by place, the trend over the days before, the CSV; a report whose radius
# straddles bz's boundary counted where its point is and flagged near the boundary; the
# coordinator's thresholds and the alerts they raise (three days over: one alert; two:
# none); every refusal a 4xx naming it with nothing stored. The zones counted are those of the
# deal in force (scope=deal, the default: none before it is in force) or every zone held
# (scope=all, with an exclusion zone ez no deal names). Every figure is by hand.
source "$(dirname "$0")/lib.sh"

source "$(dirname "$0")/daily_fixture.sh" cp
DB=$(db_of cp)
state() { python3 -c 'import wldb,sys; print(wldb.connect(sys.argv[1]).execute("SELECT count(*) FROM entries").fetchone()[0])' "$DB"; }
post_as() { # MEMBER KIND BODY: the index of the entry logged
  rm -f "$T/x.note"
  "$W" append --output "$T/x.note" --origin "$LEDGER_ORIGIN" --key "$T/$1.key" --kind "$2" \
    --body "$3" >/dev/null
  st=$(status POST /api/v1/entries -H 'Content-Type: application/json' \
    --data "{\"entry\":\"$(base64 -w0 "$T/x.note")\"}")
  [ "$st" = 201 ] || { echo "$2 refused: $st $(cat "$T/body")" >&2; return 1; }
  json_field index
}
get() { status GET "$1" >/dev/null; cp "$T/body" "$T/$2"; }

# --- the deal in force (scope=deal, the default) against every zone held (scope=all). An
# exclusion zone ez around Kharkiv (36.0-36.5 E, 49.8-50.2 N) holds R4 (2 casualties); no deal
# names it. The deal "peace" names bz's version; it is in force once ua (the host) and coord
# have both signed.
new_member ua host
printf '{"type":"Polygon","coordinates":[[[36.0,49.8],[36.5,49.8],[36.5,50.2],[36.0,50.2],[36.0,49.8]]]}' >"$T/ez.geojson"
"$W" zone set --server "$URL" --key "$T/coord.key" --zone ez --type exclusion --geometry "$T/ez.geojson" >/dev/null
BZ=$(curl -fs "$URL/api/v1/zones" | python3 -c "import json,sys; print([f['properties']['entry'] for f in json.load(sys.stdin)['features'] if f['id']=='bz'][0])")
check "bz's version is an entry ($BZ)" [ -n "$BZ" ]
no_deal() { # DESC: scope=deal with no deal in force: no zone, every report with a point outside
  st=$(status GET '/api/v1/compliance?day=2026-03-29&days=2')
  check "$1" python3 -c "
import json; o=json.load(open('$T/body'))
assert '$st'=='200' and o['scope']=='deal' and o['deals_in_force']==[] and o['zones']==[], o
assert o['outside']=={'reports':5,'violations':10,'by_type':{'explosion':5,'weapon_in_violation':1,'projectile':1,'civilian_casualties':2,'bursts_shots':4}}, o['outside']
assert o['trend'][0]['zones']==[] and o['trend'][0]['outside']['reports']==1, o['trend'][0]
assert len(o['oblasts'])==1 and o['reports']==6, o"
}
no_deal "no deal at all: scope=deal counts no zone; R1, R2, R7 (bz), R4 (ez) and R8 outside: 5 reports, 10 violations"
st=$(status GET '/api/v1/compliance?day=2026-03-29&days=2&scope=all')
check "scope=all: every zone held, bz (3 reports) and ez (R4's 2 casualties), each named by no deal; only R8 outside" python3 -c "
import json; o=json.load(open('$T/body'))
assert '$st'=='200' and o['scope']=='all' and o['deals_in_force']==[], o
z={x['zone']:x for x in o['zones']}
assert sorted(z)==['bz','ez'] and z['bz']['reports']==3 and z['bz']['violations']==6 and z['bz']['deals']==[], z
assert z['ez']=={'zone':'ez','type':'exclusion','reports':1,'violations':0,'by_type':{'civilian_casualties':2},'weapons':{},'near_boundary':[],'deals':[]}, z['ez']
assert o['outside']=={'reports':1,'violations':4,'by_type':{'bursts_shots':4}}, o['outside']"
echo "The peace agreement (test copy)" >"$T/deal.txt"
"$W" deal propose --server "$URL" --key "$T/coord.key" --deal peace --title "illustrative" \
  --text "$T/deal.txt" --party ua --party coord --zone "$BZ" >/dev/null
"$W" deal sign --server "$URL" --key "$T/coord.key" --deal peace >/dev/null
no_deal "peace proposed and signed by coord, not yet by ua (the host): not in force, still no zone"
"$W" deal sign --server "$URL" --key "$T/ua.key" --deal peace >/dev/null
check "ua signs last: peace is in force" sh -c "curl -fs '$URL/api/v1/deals/peace' | grep -q '\"status\": *\"in_force\"'"
st=$(status GET '/api/v1/compliance?day=2026-03-29&days=2&scope=all')
check "scope=all with peace in force: bz's row names peace, ez's none; the deal in force with its version and zones" python3 -c "
import json; o=json.load(open('$T/body'))
assert '$st'=='200' and o['deals_in_force']==[{'deal':'peace','version':1,'zones':['bz']}], o['deals_in_force']
z={x['zone']:x for x in o['zones']}
assert z['bz']['deals']==['peace'] and z['ez']['deals']==[] and o['outside']['reports']==1, z"

# --- the day 2026-03-29 and the day before (scope=deal: bz only): R1, R2, R7 in bz; R3 names
# Zaporizhzhia; R4 (in ez, no deal's), R8 outside; R6 (17:20Z on the 28th) is the 28th's; R5
# (16:45Z on the 29th) the 30th's
st=$(status GET '/api/v1/compliance?day=2026-03-29&days=2')
cp "$T/body" "$T/c.json"
check "GET /api/v1/compliance?day=2026-03-29&days=2: 200, the day's period (to 19:30 EEST)" python3 -c "
import json; o=json.load(open('$T/c.json'))
assert '$st'=='200', o
assert o['day']=='2026-03-29' and o['days']==2 and o['reports']==6 and o['scope']=='deal', o
assert o['deals_in_force']==[{'deal':'peace','version':1,'zones':['bz']}], o['deals_in_force']
assert o['period']=={'from':$(t 2026-03-28T17:30:00Z),'to':$(t 2026-03-29T16:30:00Z)}, o['period']"
check "bz: 3 reports, 5 explosions, 1 projectile (6 violations), 1 weapons report of 3 tanks, none near its boundary" python3 -c "
import json; o=json.load(open('$T/c.json'))
assert len(o['zones'])==1, o['zones']
z=o['zones'][0]
assert z=={'zone':'bz','type':'buffer','reports':3,'violations':6,
  'by_type':{'explosion':5,'weapon_in_violation':1,'projectile':1},'weapons':{'tank':3},'near_boundary':[],'deals':['peace']}, z"
check "the report naming only Zaporizhzhia counts by oblast, in no zone; Kharkiv's (in ez, no deal's) and Kyiv's points outside" python3 -c "
import json; o=json.load(open('$T/c.json'))
assert o['oblasts']==[{'oblast':'zaporizhzhia','name':'Запорізька область','reports':1,'violations':0,'by_type':{'restriction':1}}], o['oblasts']
assert o['outside']=={'reports':2,'violations':4,'by_type':{'civilian_casualties':2,'bursts_shots':4}}, o['outside']"
check "restrictions by place: Vasylivka in Zaporizhzhia, a denial (R3)" python3 -c "
import json; o=json.load(open('$T/c.json'))
assert o['restrictions']==[{'by':'settlement','place':'Vasylivka, Запорізька область','reports':1,'by_restriction':{'denial':1},'indexes':[$R3]}], o['restrictions']"
check "the trend, oldest first: the 28th holds R6's projectile in bz; the 29th is the day above" python3 -c "
import json; o=json.load(open('$T/c.json'))
tr=o['trend']
assert [d['day'] for d in tr]==['2026-03-28','2026-03-29'], tr
assert tr[0]['reports']==1 and tr[0]['zones'][0]['by_type']=={'projectile':1} and tr[0]['zones'][0]['violations']==1, tr[0]
assert tr[0]['oblasts']==[] and tr[0]['outside']['reports']==0, tr[0]
assert tr[1]['zones']==o['zones'] and tr[1]['reports']==6, tr[1]"
st=$(status GET '/api/v1/compliance?day=2026-03-29')
check "days defaults to 7: the 23rd to the 29th" python3 -c "
import json; o=json.load(open('$T/body'))
assert '$st'=='200' and o['days']==7 and [d['day'] for d in o['trend']][0]=='2026-03-23' and len(o['trend'])==7, o['days']"
st=$(status GET '/api/v1/compliance?day=2026-03-30&days=1')
check "the 30th holds R5 (16:45Z on the 29th, after 19:30 EEST): 7 explosions in bz" python3 -c "
import json; o=json.load(open('$T/body'))
assert '$st'=='200' and o['reports']==1 and o['zones'][0]['by_type']=={'explosion':7}, o"

st=$(status GET '/api/v1/compliance.csv?day=2026-03-29&days=2')
check "the CSV: a header, then each day's counts by zone, oblast and outside, weapons as weapon:TYPE" python3 -c "
import csv,io
assert '$st'=='200', '$st'
rows=list(csv.reader(io.open('$T/body', newline='', encoding='utf-8')))
assert rows==[['day','by','place','zone_type','type','count','deals'],
 ['2026-03-28','zone','bz','buffer','projectile','1','peace'],
 ['2026-03-29','zone','bz','buffer','explosion','5','peace'],
 ['2026-03-29','zone','bz','buffer','projectile','1','peace'],
 ['2026-03-29','zone','bz','buffer','weapon_in_violation','1','peace'],
 ['2026-03-29','zone','bz','buffer','weapon:tank','3','peace'],
 ['2026-03-29','oblast','zaporizhzhia','','restriction','1',''],
 ['2026-03-29','outside','','','bursts_shots','4',''],
 ['2026-03-29','outside','','','civilian_casualties','2','']], rows"
st=$(status GET '/api/v1/compliance.csv?day=2026-03-29&days=1&scope=all')
check "the CSV of scope=all: ez's row with no deal, R4's casualties no longer outside" python3 -c "
import csv,io
rows=list(csv.reader(io.open('$T/body', newline='', encoding='utf-8')))
assert '$st'=='200' and ['2026-03-29','zone','ez','exclusion','civilian_casualties','2',''] in rows, rows
assert not any(r[1]=='outside' and r[4]=='civilian_casualties' for r in rows), rows"

# --- a report straddling bz's east edge (38.0 E): at 48.05 N 0.005 degrees is 372 m.
# Rule: a report counts in a zone when its point is inside (the boundary included); it is
# flagged near the boundary when its circle reaches the boundary, counted there or not.
B1=$(post_report mon "{\"observed\":$(t 2026-04-10T08:00:00Z),\"precision_s\":600,\"location\":{\"lon\":37.995,\"lat\":48.05,\"radius_m\":1000},\"type\":\"explosion\",\"count\":2}")
B2=$(post_report mon "{\"observed\":$(t 2026-04-10T08:10:00Z),\"precision_s\":600,\"location\":{\"lon\":38.005,\"lat\":48.05,\"radius_m\":1000},\"type\":\"explosion\",\"count\":4}")
B3=$(post_report mon "{\"observed\":$(t 2026-04-10T08:20:00Z),\"precision_s\":600,\"location\":{\"lon\":37.98,\"lat\":48.05,\"radius_m\":500},\"type\":\"restriction\",\"restriction\":\"delay\"}")
B4=$(post_report mon "{\"observed\":$(t 2026-04-10T08:30:00Z),\"precision_s\":600,$(at 36.23 49.99),\"type\":\"restriction\",\"restriction\":\"jamming_gps\"}")
B5=$(post_report mon2 "{\"observed\":$(t 2026-04-10T08:40:00Z),\"precision_s\":600,\"location\":{\"oblast\":\"donetsk\"},\"type\":\"restriction\",\"restriction\":\"denial\"}")
st=$(status GET '/api/v1/compliance?day=2026-04-10&days=1')
cp "$T/body" "$T/b.json"
check "near the boundary: the point 372 m inside counts in bz, flagged; the one 372 m outside is flagged, not counted; 1.5 km inside with 500 m not flagged" python3 -c "
import json; o=json.load(open('$T/b.json'))
assert '$st'=='200' and o['reports']==5, o
z=o['zones'][0]
assert z['zone']=='bz' and z['reports']==2 and z['by_type']=={'explosion':2,'restriction':1} and z['violations']==2, z
assert z['near_boundary']==[{'index':$B1,'counted':True},{'index':$B2,'counted':False}], z['near_boundary']
assert o['outside']['by_type']=={'explosion':4,'restriction':1}, o['outside']"
check "restrictions by place: the zone, the oblast of a point outside every zone, an oblast named" python3 -c "
import json; o=json.load(open('$T/b.json'))
r={(x['by'],x['place']):x for x in o['restrictions']}
assert r[('zone','bz')]['by_restriction']=={'delay':1} and r[('zone','bz')]['indexes']==[$B3], r
assert r[('oblast','Харківська область')]['by_restriction']=={'jamming_gps':1} and r[('oblast','Харківська область')]['indexes']==[$B4], r
assert r[('oblast','Донецька область')]['indexes']==[$B5] and len(r)==3, r
assert o['oblasts']==[{'oblast':'donetsk','name':'Донецька область','reports':1,'violations':0,'by_type':{'restriction':1}}], o['oblasts']"

# --- thresholds: explosions in bz above 2 on 3 consecutive days. 3 explosions on the 1st,
# 2nd and 3rd of April (10:00Z: inside each day's period)
for d in 01 02 03; do
  post_report mon "{\"observed\":$(t 2026-04-${d}T10:00:00Z),\"precision_s\":600,$(at 37.80 48.02),\"type\":\"explosion\",\"count\":3}" >/dev/null
done
post_report mon "{\"observed\":$(t 2026-04-05T10:00:00Z),\"precision_s\":600,$(at 37.80 48.02),\"type\":\"explosion\",\"count\":3}" >/dev/null
post_report mon "{\"observed\":$(t 2026-04-06T10:00:00Z),\"precision_s\":600,$(at 37.80 48.02),\"type\":\"explosion\",\"count\":3}" >/dev/null
TH1=$(post_as coord monitor.threshold '{"zone":"bz","type":"explosion","above":2,"days":3,"text":"explosions in the buffer zone"}')
TH2=$(post_as coord monitor.threshold '{"zone":"*","type":"violations","above":100,"days":1,"text":"a heavy day"}')
check "two thresholds logged by the coordinator" [ -n "$TH2" ]
st=$(status GET '/api/v1/compliance/alerts?day=2026-04-03')
check "over on the 1st, 2nd and 3rd: exactly one alert, the threshold's index, bz, each day's figure" python3 -c "
import json; o=json.load(open('$T/body'))
assert '$st'=='200' and o['day']=='2026-04-03' and o['thresholds']==2, o
assert o['alerts']==[{'threshold':$TH1,'zone':'bz','type':'explosion','above':2,'days':3,'text':'explosions in the buffer zone',
  'figures':[{'day':'2026-04-01','figure':3},{'day':'2026-04-02','figure':3},{'day':'2026-04-03','figure':3}]}], o['alerts']"
for d in 2026-04-02 2026-04-06 2026-04-04; do
  st=$(status GET "/api/v1/compliance/alerts?day=$d")
  check "on $d the explosions were over on at most 2 consecutive days: no alert" python3 -c "
import json; o=json.load(open('$T/body')); assert '$st'=='200' and o['alerts']==[], o"
done
TH3=$(post_as coord monitor.threshold '{"zone":"*","type":"reports","above":1,"days":1,"text":"more than one report"}')
st=$(status GET '/api/v1/compliance/alerts?day=2026-04-10')
check "a threshold on every zone: bz's 2 reports on the 10th exceed 1" python3 -c "
import json; o=json.load(open('$T/body'))
assert '$st'=='200' and [(a['threshold'],a['zone'],a['figures']) for a in o['alerts']]==[($TH3,'bz',[{'day':'2026-04-10','figure':2}])], o"

# --- the daily report recorded: the coordinator's willing daily record, its bytes as a blob
curl -s "$URL/api/v1/daily/2026-03-29" -o "$T/day.json"
# a monitor uploads the same public bytes first: it holds them, and so does the coordinator after
"$W" blob put --server "$URL" --key "$T/mon.key" --media application/json "$T/day.json" >/dev/null
check "a monitor uploading the day's report first makes it its private blob, uploader mon" [ "$(python3 -c "import wldb,hashlib; print(wldb.connect('$DB').execute('SELECT uploader || public FROM blobs WHERE hash=?',(hashlib.sha256(open('$T/day.json','rb').read()).digest(),)).fetchone()[0])")" = mon0 ]
REC=$("$W" daily record --server "$URL" --key "$T/coord.key" --day 2026-03-29 2>"$T/rec.err" | grep -o '[0-9][0-9]*' | head -1 || true)
check "willing daily record: the entry's index, though a monitor uploaded the same bytes first" [ -n "$REC" ]
recorded() { curl -s -D "$T/rec.h" -o "$T/rec.json" -w '%{http_code}' "$URL/api/v1/daily/2026-03-29?recorded=1"; }
st=$(recorded)
check "GET /api/v1/daily/2026-03-29?recorded=1: the bytes fetched before, unchanged, the entry's index, their SHA-256 the entry's blob" python3 -c "
import hashlib,json,wldb,base64
assert '$st'=='200', '$st'
got=open('$T/rec.json','rb').read(); want=open('$T/day.json','rb').read()
assert got==want, (len(got),len(want))
h={l.split(':',1)[0].lower():l.split(':',1)[1].strip() for l in open('$T/rec.h') if ':' in l}
assert h['willing-recorded-index']=='$REC', h
data=wldb.connect('$DB').execute('SELECT data FROM entries WHERE idx=?',($REC,)).fetchone()[0]
data=data.decode() if isinstance(data,bytes) else data
body=json.loads([l for l in data.split(chr(10)) if l.startswith('{')][0])
assert body=={'day':'2026-03-29','blob':hashlib.sha256(got).hexdigest()}, body
assert h['willing-recorded-blob']==body['blob'], h"
R10=$(post_report mon "{\"observed\":$(t 2026-03-29T13:00:00Z),\"precision_s\":600,$(at 37.80 48.02),\"type\":\"explosion\"}")
st=$(status GET /api/v1/daily/2026-03-29)
check "a report for the day logged after: the day's report now holds 7" python3 -c "
import json; o=json.load(open('$T/body')); assert '$st'=='200' and o['reports']==7 and $R10 in [r['index'] for r in o['annex']], o['reports']"
st=$(recorded)
check "the recorded report is still the bytes recorded, byte for byte (6 reports)" sh -c "[ '$st' = 200 ] && cmp -s '$T/rec.json' '$T/day.json'"
NBLOBS=$(python3 -c "import wldb; print(wldb.connect('$DB').execute('SELECT count(*) FROM blobs').fetchone()[0])")
check "a second willing daily record for the day fails, saying it is recorded, uploading nothing" sh -c "! '$W' daily record --server '$URL' --key '$T/coord.key' --day 2026-03-29 2>'$T/rec2.err' >/dev/null && grep -q 'recorded already' '$T/rec2.err' && [ \$(python3 -c \"import wldb; print(wldb.connect('$DB').execute('SELECT count(*) FROM blobs').fetchone()[0])\") = $NBLOBS ]"
# a day not over when signed: never recorded (a record is for good)
refused_entry coord monitor.daily "{\"day\":\"2099-01-01\",\"blob\":\"$(printf y | sha256sum | cut -c1-64)\"}" \
  400 day_not_over "19:30 Kyiv" "monitor.daily of a day to come"
# a member's private document: the coordinator may read it, not publish it
printf 'a monitor'"'"'s private notes\n' >"$T/private.txt"
"$W" blob put --server "$URL" --key "$T/mon.key" --media text/plain "$T/private.txt" >/dev/null
HEXP=$(sha256sum "$T/private.txt" | cut -c1-64)
refused_entry coord monitor.daily "{\"day\":\"2026-03-30\",\"blob\":\"$HEXP\"}" \
  403 forbidden "not uploaded by" "monitor.daily naming another member's private blob"
check "that blob stays private: anonymous GET 404" [ "$(status GET "/api/v1/blobs/$HEXP")" = 404 ]
st=$(curl -s -o "$T/body" -w '%{http_code}' "$URL/api/v1/daily/2026-03-30?recorded=1")
check "a day not recorded: 404 not_recorded" sh -c "[ '$st' = 404 ] && grep -q '\"not_recorded\"' '$T/body'"
st=$(curl -s -o "$T/body" -w '%{http_code}' "$URL/api/v1/daily/2026-03-29?recorded=yes")
check "recorded=yes: 400 bad_query" sh -c "[ '$st' = 400 ] && grep -q '\"bad_query\"' '$T/body'"
HEXB=$(printf x | sha256sum | cut -d' ' -f1)
refused_entry coord monitor.daily "{\"day\":\"2026-03-29\",\"blob\":\"$HEXB\"}" \
  409 daily_recorded "entry $REC" "a second monitor.daily for 2026-03-29"
refused_entry coord monitor.daily "{\"day\":\"2026-02-30\",\"blob\":\"$HEXB\"}" \
  400 invalid_body day "monitor.daily of a bad day"
refused_entry coord monitor.daily '{"day":"2026-03-31","blob":"ABC"}' \
  400 invalid_body blob "monitor.daily with a bad hash"
refused_entry mon monitor.daily "{\"day\":\"2026-03-31\",\"blob\":\"$HEXB\"}" \
  403 forbidden monitor.daily "a monitor's monitor.daily"

# --- refusals: each a 4xx naming the problem, nothing stored
refused_entry mon monitor.threshold '{"zone":"bz","type":"explosion","above":2,"days":3,"text":"t"}' \
  403 forbidden monitor.threshold "a monitor's threshold"
refused_entry coord monitor.threshold '{"zone":"bz","type":"explosion","above":0,"days":3,"text":"t"}' \
  400 invalid_body above "above 0"
refused_entry coord monitor.threshold '{"zone":"bz","type":"explosion","above":1000001,"days":3,"text":"t"}' \
  400 invalid_body above "above 1000001"
refused_entry coord monitor.threshold '{"zone":"bz","type":"explosion","above":2,"days":31,"text":"t"}' \
  400 invalid_body days "days 31"
refused_entry coord monitor.threshold '{"zone":"bz","type":"shelling","above":2,"days":3,"text":"t"}' \
  400 invalid_body type "an unknown type"
refused_entry coord monitor.threshold '{"zone":"nowhere","type":"explosion","above":2,"days":3,"text":"t"}' \
  400 unknown_zone nowhere "an unknown zone"
refused_entry coord monitor.threshold '{"zone":"bz","type":"explosion","above":2,"days":3}' \
  400 invalid_body text "no text"
refused_entry coord monitor.threshold '{"zone":"bz","type":"explosion","above":2,"days":3,"text":"t","x":1}' \
  400 invalid_body x "an unknown field"
for q in 'day=2026-02-30' 'day=2026-3-29' '' 'day=yesterday'; do
  st=$(status GET "/api/v1/compliance?$q")
  check "GET /api/v1/compliance?$q: 400 bad_day" sh -c "[ '$st' = 400 ] && grep -q '\"bad_day\"' '$T/body'"
done
for q in 'days=0' 'days=91' 'days=x' 'days=-1'; do
  st=$(status GET "/api/v1/compliance?day=2026-03-29&$q")
  check "GET /api/v1/compliance?day=2026-03-29&$q: 400 bad_query naming days" sh -c "[ '$st' = 400 ] && grep -q '\"bad_query\"' '$T/body' && grep -q days '$T/body'"
done
# the first days of 1970 are days as any other (the daily report's and the incidents' too)
st=$(status GET '/api/v1/compliance?day=1970-01-02&days=1')
check "GET /api/v1/compliance?day=1970-01-02&days=1: 200" [ "$st" = 200 ]
st=$(status GET '/api/v1/compliance/alerts?day=1970-01-02')
check "alerts of 1970-01-02 (thresholds of 3 days, one day with a period): 200, none raised" python3 -c "
import json; o=json.load(open('$T/body')); assert '$st'=='200' and o['alerts']==[], ('$st', o)"
st=$(status GET '/api/v1/compliance/alerts?day=2026-13-01')
check "alerts of a bad day: 400 bad_day" sh -c "[ '$st' = 400 ] && grep -q '\"bad_day\"' '$T/body'"
st=$(status POST /api/v1/compliance -H 'Content-Type: application/json' --data '{}')
check "POST /api/v1/compliance: 405" [ "$st" = 405 ]
st=$(status GET '/api/v1/compliance/alerts?day=2026-04-03')
check "the alerts say their scope (deal, the default) and the deal in force" python3 -c "
import json; o=json.load(open('$T/body'))
assert '$st'=='200' and o['scope']=='deal' and o['deals_in_force']==[{'deal':'peace','version':1,'zones':['bz']}] and len(o['alerts'])==1, o"
st=$(status GET '/api/v1/compliance?day=2026-03-29&scope=everything')
check "scope=everything: 400 bad_query naming scope" sh -c "[ '$st' = 400 ] && grep -q '\"bad_query\"' '$T/body' && grep -q scope '$T/body'"
# a new version of bz (the same area): the deal names the old one; the row says so and counts
# by the current geometry
"$W" zone set --server "$URL" --key "$T/coord.key" --zone bz --type buffer --geometry "$T/bz.geojson" >/dev/null
BZ2=$(curl -fs "$URL/api/v1/zones" | python3 -c "import json,sys; print([f['properties']['entry'] for f in json.load(sys.stdin)['features'] if f['id']=='bz'][0])")
st=$(status GET '/api/v1/compliance?day=2026-03-29&days=1')
check "bz set again (entry $BZ2): its row names the version peace names ($BZ) and the current one, still counted (R1, R2, R7, R10)" python3 -c "
import json; o=json.load(open('$T/body'))
z=o['zones'][0]
assert '$st'=='200' and z['zone']=='bz' and z['named_version']==$BZ and z['current_version']==$BZ2 and $BZ2>$BZ, z
assert z['reports']==4 and z['deals']==['peace'], z"
check "still serving" sh -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' '$URL/api/v1/compliance?day=2026-03-29')\" = 200 ]"
check "fsck replays the thresholds and the recorded day to the same tables (the blob made public)" sh -c "'$W' fsck --db '$DB' >'$T/fsck.out' 2>&1"
finish
