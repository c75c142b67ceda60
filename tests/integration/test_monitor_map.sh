#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The monitors' map and timeline against the real daemon (issue 11, point 6), over the
# reports of daily_fixture.sh: GET /api/v1/monitor/map gives the reports of a day's period
# (the daily report's: 19:30 to 19:30 Kyiv time) compact, those sharing a grid cell at the
# zoom asked as one cluster, those naming an oblast by oblast, and UCDP's events of the
# day as a separate layer attributed to UCDP; GET /api/v1/monitor/timeline counts each
# day's period; GET /api/v1/reports?author= gives one monitor's reports; the taxonomy for
# forms. Every expected figure is written here by hand; bad days, types and zooms are 400.
source "$(dirname "$0")/lib.sh"

source "$(dirname "$0")/daily_fixture.sh" mm

map() { local st; st=$(status GET "/api/v1/monitor/map?$1" || true); cp "$T/body" "$T/$2.json"; [ "$st" = 200 ] || not_ok "map?$1 answers $st"; }

st=$(status GET "/api/v1/monitor/map?day=2026-03-29")
cp "$T/body" "$T/z6.json"
check "GET /api/v1/monitor/map?day=2026-03-29: 200" [ "$st" = 200 ]
check "zoom 6 (the default, cells of 1.40625 by 0.9375 degrees): the three reports near Donetsk are one cluster of 7 events, Kharkiv and Kyiv alone, Vasylivka by its oblast: 6 reports, as the daily report's" python3 -c "
import json; o=json.load(open('$T/z6.json'))
assert o['day']=='2026-03-29' and o['reports']==6 and o['zoom']==6 and o['clustered'] is True, o
assert o['period']=={'from':$(t 2026-03-28T17:30:00Z),'to':$(t 2026-03-29T16:30:00Z)}, o['period']
assert o['cell']=={'lon_deg':1.40625,'lat_deg':0.9375}, o['cell']
assert [p['index'] for p in o['points']]==[$R4,$R8], o['points']
k=[p for p in o['points'] if p['index']==$R4][0]
assert k=={'index':$R4,'lon':36.23,'lat':49.99,'radius_m':500,'type':'civilian_casualties','count':2}, k
assert len(o['clusters'])==1, o['clusters']
c=o['clusters'][0]
assert c['reports']==3 and c['count']==7, c
assert c['by_type']=={'explosion':1,'weapon_in_violation':1,'projectile':1}, c
assert c['bounds']==[37.75,48.02,37.8,48.05], c['bounds']
assert abs(c['lon']-(37.8*2+37.75)/3)<1e-9 and abs(c['lat']-(48.02*2+48.05)/3)<1e-9, c
assert c['cell']==[26*1.40625,51*0.9375,27*1.40625,52*0.9375], c['cell']
assert o['oblasts']==[{'oblast':'zaporizhzhia','name':'Запорізька область','reports':1,'count':1,
  'by_type':{'restriction':1},'indexes':[$R3]}], o['oblasts']
n=len(o['points'])+sum(c['reports'] for c in o['clusters'])+sum(x['reports'] for x in o['oblasts'])
assert n==o['reports'], n"
status GET /api/v1/daily/2026-03-29 >/dev/null
check "the map holds the daily report's reports, no more, no fewer" python3 -c "
import json; d=json.load(open('$T/body')); o=json.load(open('$T/z6.json'))
assert d['reports']==o['reports'], (d['reports'], o['reports'])"

map "day=2026-03-29&zoom=10" z10
check "zoom 10: the cluster splits: the explosion and the projectile at one point stay a cluster of 2, the tanks 4 km away are alone" python3 -c "
import json; o=json.load(open('$T/z10.json'))
assert [p['index'] for p in o['points']]==sorted([$R2,$R4,$R8]), o['points']
assert len(o['clusters'])==1 and o['clusters'][0]['reports']==2 and o['clusters'][0]['count']==6, o['clusters']"
map "day=2026-03-29&zoom=13" z13
check "zoom 13: nothing clustered, every report with coordinates a point, by index" python3 -c "
import json; o=json.load(open('$T/z13.json'))
assert o['clustered'] is False and o['clusters']==[], o
assert [p['index'] for p in o['points']]==sorted([$R1,$R2,$R4,$R7,$R8]), o['points']"
map "day=2026-03-29&type=explosion" ex
check "type=explosion: the one explosion of the period (not the one at 19:45 EEST)" python3 -c "
import json; o=json.load(open('$T/ex.json'))
assert o['type']=='explosion' and o['reports']==1 and [p['index'] for p in o['points']]==[$R1], o"
map "day=2026-03-30" d30
check "2026-03-30: the explosions of 16:45Z on the 29th" python3 -c "
import json; o=json.load(open('$T/d30.json'))
assert o['reports']==1 and [p['index'] for p in o['points']]==[$R5], o"
check "no history imported: the UCDP layer is there, empty, attributed" python3 -c "
import json; h=json.load(open('$T/z6.json'))['history']
assert h['layer']=='history' and h['source']=='UCDP GED' and h['historical'] is True and h['events']==[], h
assert 'CC BY 4.0' in h['attribution'], h"

status GET "/api/v1/monitor/timeline?to=2026-03-30&days=3" >/dev/null
check "the timeline: 1 report in the period of the 28th (17:20Z), 6 in the 29th's, 1 in the 30th's" python3 -c "
import json; o=json.load(open('$T/body'))
assert o['timeline']==[{'day':'2026-03-28','reports':1},{'day':'2026-03-29','reports':6},
  {'day':'2026-03-30','reports':1}], o"
status GET "/api/v1/monitor/timeline?to=2026-03-30&type=projectile" >/dev/null
check "the timeline of projectiles over 30 days by default: 17:20Z and 17:40Z on the 28th fall in two periods" python3 -c "
import json; o=json.load(open('$T/body'))['timeline']
assert len(o)==30 and o[-1]['day']=='2026-03-30' and o[0]['day']=='2026-03-01', o
got={x['day']:x['reports'] for x in o if x['reports']}
assert got=={'2026-03-28':1,'2026-03-29':1}, got"

status GET "/api/v1/reports?author=mon2" >/dev/null
check "GET /api/v1/reports?author=mon2: that monitor's reports, by index" python3 -c "
import json; o=json.load(open('$T/body'))
assert [r['index'] for r in o['reports']]==[$R2,$R6,$R7] and o['next'] is None, o"
status GET "/api/v1/monitor/taxonomy" >/dev/null
check "the taxonomy: the eight types in order, restrictions, weapons, the oblasts with names" python3 -c "
import json; o=json.load(open('$T/body'))
assert o['types'][0]=='explosion' and len(o['types'])==8 and 'denial' in o['restrictions'], o
assert {'id':'donetsk','name':'Донецька область'} in o['oblasts'] and 'tank' in o['weapons'], o"

# UCDP's events of the day, the same the history's own route gives
if "$W" history import-ucdp --server "$URL" --key "$T/coord.key" "$SRC/tests/fixtures/ucdp/ged-ukraine.csv" \
  >"$T/imp.out" 2>&1; then ok "UCDP's staged file imported by the coordinator"
else not_ok "UCDP's import: $(tail -3 "$T/imp.out")"; fi
status GET "/api/v1/history/events?from=2022-03-01&to=2022-03-01&limit=1000" >/dev/null
cp "$T/body" "$T/h.json"
map "day=2022-03-01" h1
check "after UCDP's import: the map's history layer holds the events of that day, by id, attributed to UCDP" python3 -c "
import json; h=json.load(open('$T/h1.json'))['history']; e=json.load(open('$T/h.json'))
want=[x['id'] for x in e['events']]
assert len(want)>0 and [x['id'] for x in h['events']]==want, ([x['id'] for x in h['events']], want)
assert h['release']=='24.1' and 'Uppsala' in h['attribution'], h
x=h['events'][0]; y=e['events'][0]
assert x['lon']==float(y['longitude']) and x['lat']==float(y['latitude']) and x['best']==y['best'], (x,y)
assert json.load(open('$T/h1.json'))['reports']==0"

for q in "day=2026-02-30:bad_day" "day=2026-3-29:bad_day" ":bad_day" "day=2026-03-29&type=shelling:bad_query" \
  "day=2026-03-29&zoom=19:bad_query" "day=2026-03-29&zoom=x:bad_query"; do
  st=$(status GET "/api/v1/monitor/map?${q%%:*}")
  check "map?${q%%:*}: 400 ${q##*:}" sh -c "[ '$st' = 400 ] && grep -q '\"error\": *\"${q##*:}\"' '$T/body'"
done
st=$(status GET "/api/v1/monitor/timeline?to=2026-03-29&days=0")
check "timeline days=0: 400 bad_query" sh -c "[ '$st' = 400 ] && grep -q bad_query '$T/body'"
st=$(status GET "/api/v1/reports?author=mon&day=2026-03-29")
check "author with a day: 400 bad_query" sh -c "[ '$st' = 400 ] && grep -q bad_query '$T/body'"
st=$(status POST "/api/v1/monitor/map?day=2026-03-29" --data '{}')
check "POST to the map: 405" [ "$st" = 405 ]
check "the daemon logged no sanitizer report" sh -c "! grep -q -E 'runtime error|Sanitizer' '$T/mm.log'"
finish
