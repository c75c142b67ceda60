#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Monitors' reports against the real daemon (issue 11, point 1): each bad input of the
# issue (a key that is not a monitor's, a forged or altered report, an observed time
# more than 5 minutes ahead, coordinates out of range, a location without its
# precision, an unknown type) is a 4xx JSON error naming it, nothing stored; a report
# written with `willing report new` while the server is down is queued (0600 in a 0700
# outbox) and sent by `willing sync` once it is up, in order, each once; a sync killed
# mid-way and run again logs everything exactly once; the views by day and type, one
# report; fsck replays it all to the same tables.
source "$(dirname "$0")/lib.sh"

new_ledger mo
start_server mo
for m in mon:monitor mon2:monitor co:coordinator pa:party; do new_member "${m%%:*}" "${m##*:}"; done
DB=$(db_of mo)

state() { python3 -c 'import wldb,sys; d=wldb.connect(sys.argv[1]); print([d.execute(q).fetchone()[0] for q in sys.argv[2:]])' "$DB" \
  "SELECT count(*) FROM entries" "SELECT count(*) FROM reports" "SELECT count(*) FROM report_logged"; }
refused() { refused_entry "$@"; }

NOW=$(date +%s)
OBS=$((NOW - 600))
WHERE='"location":{"lon":37.8,"lat":48.1,"radius_m":500}'
good() { echo "{\"observed\":$OBS,\"precision_s\":600,$WHERE,\"type\":\"${1:-explosion}\"}"; }

# ---- the bad inputs of the issue, each refused, nothing stored ----
refused co monitor.report "$(good)" 403 forbidden "monitor.report" "a report by a coordinator's key"
refused pa monitor.report "$(good)" 403 forbidden "monitor.report" "a report by a party's key"
refused mon monitor.report "{\"observed\":$((NOW + 3600)),\"precision_s\":600,$WHERE,\"type\":\"explosion\"}" \
  400 invalid_body "observed: in the future" "an observed time an hour ahead"
refused mon monitor.report "{\"observed\":$OBS,\"precision_s\":600,\"location\":{\"lon\":200,\"lat\":48.1,\"radius_m\":500},\"type\":\"explosion\"}" \
  400 invalid_body "location.lon" "a longitude out of range"
refused mon monitor.report "{\"observed\":$OBS,\"precision_s\":600,\"location\":{\"lon\":37.8,\"lat\":95,\"radius_m\":500},\"type\":\"explosion\"}" \
  400 invalid_body "location.lat" "a latitude out of range"
refused mon monitor.report "{\"observed\":$OBS,\"precision_s\":600,\"location\":{\"lon\":37.8,\"lat\":48.1},\"type\":\"explosion\"}" \
  400 invalid_body "location.radius_m" "coordinates without their precision"
refused mon monitor.report "{\"observed\":$OBS,$WHERE,\"type\":\"explosion\"}" \
  400 invalid_body "precision_s" "an observed time without its precision"
refused mon monitor.report "$(good rumour)" 400 invalid_body "type" "an unknown type"
refused mon monitor.report "{\"observed\":$OBS,\"precision_s\":600,$WHERE,\"type\":\"explosion\",\"evidence\":[{\"blob\":\"$(printf x | sha256sum | cut -c1-64)\",\"captured_by\":\"ghost\",\"captured_at\":$OBS,\"device\":\"phone\"}]}" \
  404 unknown_member "evidence[0].captured_by" "evidence captured by no member"
refused mon monitor.report "{\"observed\":$OBS,\"precision_s\":600,$WHERE,\"type\":\"restriction\"}" \
  400 invalid_body "restriction" "a restriction without its kind"

# a forged report (signed by another key than the author's) and an altered one (a byte of
# the body changed after signing): 4xx, nothing stored
forged_or_altered() { # DESC PYTHON-EDIT
  local before after st
  before=$(state)
  rm -f "$T/e.note"
  "$W" append --output "$T/e.note" --origin "$LEDGER_ORIGIN" --key "$T/$2.key" --author mon \
    --kind monitor.report --body "$(good)" >/dev/null
  python3 -c "import sys; p=sys.argv[1]; b=open(p,'rb').read(); open(p,'wb').write($3)" "$T/e.note"
  st=$(status POST /api/v1/entries -H 'Content-Type: application/json' \
    --data "{\"entry\":\"$(base64 -w0 "$T/e.note")\"}")
  after=$(state)
  check "$1: $st $(json_field error), nothing stored" python3 -c "
import json; o=json.load(open('$T/body'))
assert '$st'.startswith('4'), ('$st', o)
assert o['error'] in ('bad_signature','invalid_signature','unknown_key','signature'), o
assert '$before'=='$after'"
}
forged_or_altered "a report forged with another member's key" mon2 "b"
forged_or_altered "a report altered after signing (its count)" mon "b.replace(b'\"explosion\"', b'\"projectile\"')"

# ---- a report posted, and the same bytes again: the original index ----
"$W" append --output "$T/ok.note" --origin "$LEDGER_ORIGIN" --key "$T/mon.key" --kind monitor.report \
  --body "$(good)" >/dev/null
st=$(status POST /api/v1/entries -H 'Content-Type: application/json' --data "{\"entry\":\"$(base64 -w0 "$T/ok.note")\"}")
I1=$(json_field index)
check "a monitor's report is logged: 201, entry $I1" [ "$st" = 201 ]
st=$(status POST /api/v1/entries -H 'Content-Type: application/json' --data "{\"entry\":\"$(base64 -w0 "$T/ok.note")\"}")
check "the same bytes again: 200 with the original index" python3 -c "
import json; o=json.load(open('$T/body')); assert '$st'=='200' and o['index']==$I1 and o['existed'], o"

# ---- offline: report setup with a link, then the server goes down ----
"$W" report setup --server "$URL" --key "$T/mon.key" >/dev/null
check "report setup keeps its configuration 0600" [ "$(stat -c %a "$XDG_STATE_HOME/willing/report.json")" = 600 ]
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
printf 'photo bytes\n' >"$T/photo.jpg"
"$W" report new --type explosion --at 37.81,48.12 --radius 500 --observed "$OBS" --precision 600 \
  --count 3 --direction NE --distance 2000 --text "three explosions to the north-east" >"$T/new1.out"
# the evidence named by a path relative to where report new runs; sync runs elsewhere
(cd "$T" && "$W" report new --type restriction --restriction delay --oblast donetsk --settlement Avdiivka \
  --observed "$OBS" --precision 3600 --evidence photo.jpg --device "camera 2" >"$T/new2.out")
"$W" report new --type weapon_in_violation --weapon mlrs:4 --at 37.9,48.2 --radius 1000 \
  --observed "$OBS" --precision 1800 >"$T/new3.out"
OUTBOX=$(sed -n 's/.* in \(.*\): `willing sync`.*/\1/p' "$T/new1.out")
check "report new writes with the server down (the outbox $OUTBOX)" [ -d "$OUTBOX" ]
check "the outbox is 0700, each report 0600" python3 -c "
import os,stat,sys; d=sys.argv[1]
assert stat.S_IMODE(os.stat(d).st_mode)==0o700, oct(os.stat(d).st_mode)
fs=[f for f in os.listdir(d) if f.endswith('.json')]
assert len(fs)==3, fs
for f in fs: assert stat.S_IMODE(os.stat(os.path.join(d,f)).st_mode)==0o600, f
assert not [f for f in os.listdir(d) if f.endswith('.tmp')]" "$OUTBOX"
if "$W" report new --type rumour --oblast donetsk >/dev/null 2>"$T/err"; then not_ok "an unknown type queued"; else
  check "report new refuses what the server would (unknown type), nothing queued" \
    sh -c "grep -q 'type' '$T/err' && [ \$(ls '$OUTBOX' | wc -l) = 3 ]"; fi
if "$W" report new --type explosion --at 37.8,48.1 >/dev/null 2>"$T/err"; then not_ok "a point without radius queued"; else
  check "report new refuses a point without its radius" grep -q 'location.radius_m' "$T/err"; fi
if "$W" report new --type explosion --at 0x25,49 --radius 500 >/dev/null 2>"$T/err"; then not_ok "--at 0x25,49 queued"; else
  check "report new refuses --at in hexadecimal: plain decimals only" grep -q 'plain decimals' "$T/err"; fi
if "$W" report new --type explosion --at 37.8,48.1 --radius 500 --precision 12abc >/dev/null 2>"$T/err"; then not_ok "--precision 12abc queued"; else
  check "report new --precision 12abc names --precision" grep -q -- '--precision takes' "$T/err"; fi
if "$W" sync >"$T/sync.out" 2>"$T/sync.err"; then not_ok "sync with the server down said it sent"; else
  check "sync with the server down: nothing sent, 3 pending" grep -q '0 sent, 0 refused, 3 pending' "$T/sync.err"; fi
# a captive portal or a wrong server (anything but the log): 200 or 404 with a web page to
# every request; nothing marked sent or refused, all three stay pending
for code in 200 404; do
  PP=$(free_port)
  python3 - "$PP" "$code" <<'P' &
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def answer(self):
        n = int(self.headers.get('Content-Length') or 0); self.rfile.read(n)
        b = b'<html>Sign in to the hotel network</html>'
        self.send_response(int(sys.argv[2])); self.send_header('Content-Type', 'text/html')
        self.send_header('Content-Length', str(len(b))); self.end_headers(); self.wfile.write(b)
    do_GET = do_POST = do_PUT = answer
    def log_message(self, *a): pass
http.server.HTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()
P
  PORTAL=$!
  wait_for "the portal on $PP" curl -s -o /dev/null "http://127.0.0.1:$PP/"
  if "$W" sync --server "http://127.0.0.1:$PP" >/dev/null 2>"$T/portal.err"; then
    not_ok "sync through a portal answering $code said it was done"
  else
    check "sync through a portal answering $code: nothing marked sent or refused, 3 pending" \
      grep -q '0 sent, 0 refused, 3 pending' "$T/portal.err"
  fi
  kill "$PORTAL"; wait "$PORTAL" 2>/dev/null || true
done
"$W" report list >"$T/list.out"
check "report list: three pending" [ "$(grep -c ' pending ' "$T/list.out")" = 3 ]

# ---- the server up again: sync sends them in order, evidence first ----
start_server mo
# the evidence edited after the report was signed: never uploaded in its place, the report waits
cp "$T/photo.jpg" "$T/photo.orig"; printf 'retouched\n' >"$T/photo.jpg"
"$W" sync --server "$URL" 2>"$T/sync.err" >/dev/null || true
check "evidence changed since signing: the first sent, that report and the next stay pending" \
  sh -c "grep -q '1 sent, 0 refused, 2 pending' '$T/sync.err' && grep -q 'changed since the report was signed' '$T/sync.err'"
mv "$T/photo.orig" "$T/photo.jpg"
"$W" sync --server "$URL" 2>"$T/sync.err" >/dev/null
check "the evidence restored: sync sends the other two, exit 0" grep -q '2 sent, 0 refused, 0 pending' "$T/sync.err"
"$W" report list --json >"$T/list.json"
check "each marked sent with its index, in seq order, indexes rising" python3 -c "
import json; l=json.load(open('$T/list.json'))
assert [r['state'] for r in l]==['sent']*3, l
ix=[r['index'] for r in l]; assert ix==sorted(ix) and len(set(ix))==3, ix"
HASH=$(sha256sum "$T/photo.jpg" | cut -c1-64)
check "sync uploaded the evidence: its uploader reads it back, checked by hash" \
  sh -c "'$W' blob get '$HASH' --server '$URL' --key '$T/mon.key' -o '$T/photo.back' >/dev/null && cmp -s '$T/photo.jpg' '$T/photo.back'"
"$W" sync --server "$URL" 2>"$T/sync.err" >/dev/null
check "sync again: nothing left to send" grep -q '0 sent, 0 refused, 0 pending' "$T/sync.err"

# ---- the views ----
DAY=$(date -u -d "@$OBS" +%F)
st=$(status GET "/api/v1/reports?day=$DAY")
check "GET /api/v1/reports?day=$DAY: the four reports with observed and logged time" python3 -c "
import json; o=json.load(open('$T/body')); r=o['reports']
assert '$st'=='200' and len(r)==4 and o['next'] is None, o
for x in r:
  assert x['observed']==$OBS and x['observed_day']=='$DAY' and x['logged']>=x['signed']-5 and x['author']=='mon', x
assert r[1]['report']['count']==3 and r[1]['report']['direction']=='NE', r[1]"
st=$(status GET "/api/v1/reports?type=restriction")
check "by type: the restriction, in Donetsk oblast, with its evidence" python3 -c "
import json; r=json.load(open('$T/body'))['reports']
assert len(r)==1 and r[0]['report']['location']=={'oblast':'donetsk','settlement':'Avdiivka'}, r
assert r[0]['report']['evidence'][0]['blob']=='$HASH' and r[0]['report']['evidence'][0]['captured_by']=='mon', r"
st=$(status GET "/api/v1/reports?limit=2")
check "a page of 2 says where the next starts" python3 -c "
import json; o=json.load(open('$T/body')); assert len(o['reports'])==2 and o['next']==o['reports'][1]['index'], o"
st=$(status GET "/api/v1/reports/$I1")
check "GET /api/v1/reports/$I1" python3 -c "import json; o=json.load(open('$T/body')); assert '$st'=='200' and o['index']==$I1 and o['type']=='explosion', o"
for q in "reports/1:404:unknown_report" "reports/x:400:bad_query" "reports?type=rumour:400:bad_query" \
  "reports?day=yesterday:400:bad_query" "reports?day=2026-02-30:400:bad_query" "reports?limit=0:400:bad_query" "reports?limit=1001:400:bad_query"; do
  st=$(status GET "/api/v1/${q%%:*}")
  r=${q#*:}
  check "GET /api/v1/${q%%:*}: ${r%%:*} ${r#*:}" python3 -c "import json; o=json.load(open('$T/body')); assert '$st'=='${r%%:*}' and o['error']=='${r#*:}', ('$st', o)"
done

# ---- a sync killed mid-way, then run again: everything logged exactly once ----
# enough reports that the first sync is still sending when the server is stopped (with 40, a
# release build once sent them all before the stop, and the second sync then ran alone)
NQ=200
for i in $(seq 1 $NQ); do
  "$W" report new --type bursts_shots --oblast luhansk --observed "$OBS" --precision 600 --count "$i" >/dev/null
done
sent_count() { grep -l '"state": "sent"' "$OUTBOX"/*.json 2>/dev/null | wc -l; }
"$W" sync --server "$URL" 2>"$T/killed.err" >/dev/null &
SYNC=$!
wait_for "sync to send a few" sh -c "[ \$(grep -l '\"state\": \"sent\"' '$OUTBOX'/*.json | wc -l) -ge 8 ]"
kill -STOP "$SERVER_PID" # the next report is in flight when sync dies
if "$W" sync --server "$URL" >/dev/null 2>"$T/second.err"; then not_ok "a second sync ran beside the first"; else
  check "a second sync while one runs: refused, nothing sent" grep -q 'another sync of this outbox is running' "$T/second.err"; fi
kill -9 "$SYNC"; wait "$SYNC" 2>/dev/null || true
kill -CONT "$SERVER_PID"
MID=$(sent_count)
check "killed mid-way: $MID of $((NQ + 3)) in the outbox marked sent" [ "$MID" -lt $((NQ + 3)) ]
"$W" sync --server "$URL" 2>"$T/resumed.err" >/dev/null
check "sync resumed: every report sent" python3 -c "
import json,os,sys; d=sys.argv[1]
l=[json.load(open(os.path.join(d,f))) for f in sorted(os.listdir(d)) if f.endswith('.json')]
assert len(l)==$((NQ + 3)) and all(r['state']=='sent' for r in l), [r['state'] for r in l]
ix=[r['index'] for r in l]; assert ix==sorted(ix) and len(set(ix))==$((NQ + 3)), ix" "$OUTBOX"
check "each logged once: $((NQ + 4)) reports in the log, $((NQ + 4)) rows" python3 -c "
import wldb; d=wldb.connect('$DB')
assert d.execute(\"SELECT count(*) FROM entries WHERE kind='monitor.report'\").fetchone()[0]==$((NQ + 4))
assert d.execute('SELECT count(*) FROM reports').fetchone()[0]==$((NQ + 4))
assert d.execute('SELECT count(DISTINCT body) FROM reports').fetchone()[0]==$((NQ + 4))"

# ---- no setup at all: --origin and --key, a report signed on a machine that never had a link ----
S2=$T/s2
XDG_STATE_HOME=$S2 "$W" report new --origin "$LEDGER_ORIGIN" --key "$T/mon2.key" --type muzzle_flash \
  --oblast zaporizhzhia --observed "$OBS" --precision 900 >/dev/null
check "report new with --origin and --key, no setup: queued" [ "$(ls "$S2/willing/outbox/"*/ | wc -l)" = 1 ]
XDG_STATE_HOME=$S2 "$W" sync --server "$URL" --origin "$LEDGER_ORIGIN" 2>"$T/s2.err" >/dev/null
XDG_STATE_HOME=$S2 "$W" report list --origin "$LEDGER_ORIGIN" --json >"$T/s2.json"
check "sync --server --origin sends it: by mon2, signed before it was logged" python3 -c "
import json,urllib.request; r=json.load(open('$T/s2.json'))[0]
assert r['state']=='sent', r
o=json.load(urllib.request.urlopen('$URL/api/v1/reports/%d' % r['index']))
assert o['author']=='mon2' and o['type']=='muzzle_flash' and o['logged']>=o['signed'], o"
# a report the log refuses at sync (signed for another log): marked refused with the reason, exit 1
XDG_STATE_HOME=$S2 "$W" report new --origin other.example/log --key "$T/mon2.key" --type explosion \
  --oblast kherson >/dev/null
if XDG_STATE_HOME=$S2 "$W" sync --server "$URL" --origin other.example/log 2>"$T/s3.err" >/dev/null; then
  not_ok "a refused report: sync exited 0"; else
  XDG_STATE_HOME=$S2 "$W" report list --origin other.example/log >"$T/s3.out"
  check "a report the log refuses: marked refused with its reason, sync exits 1" \
    sh -c "grep -q '1 refused' '$T/s3.err' && grep -q 'refused .*entry is for log .other.example/log.' '$T/s3.out'"; fi
# a monitor not registered yet: unknown_key may change, so the report stays pending and is
# sent once the monitor is in the log; a refused one is sent again with --retry-refused
S4=$T/s4
"$W" keygen --out "$T/mon3.key" --member mon3 >/dev/null
XDG_STATE_HOME=$S4 "$W" report new --origin "$LEDGER_ORIGIN" --key "$T/mon3.key" --type explosion \
  --oblast kherson --observed "$OBS" --precision 600 >/dev/null
XDG_STATE_HOME=$S4 "$W" sync --server "$URL" --origin "$LEDGER_ORIGIN" --key "$T/mon3.key" 2>"$T/s4.err" >/dev/null || true
XDG_STATE_HOME=$S4 "$W" report list --origin "$LEDGER_ORIGIN" --json >"$T/s4.json"
check "a monitor not yet in the log: unknown_key keeps the report pending, sync says so" python3 -c "
import json; r=json.load(open('$T/s4.json'))[0]; e=open('$T/s4.err').read()
assert r['state']=='pending', r
assert 'unknown_key' in e and 'may change: kept pending' in e and '0 refused, 1 pending' in e, e"
"$W" member add --server "$URL" --key "$OPKEY" --id mon3 --name mon3 --role monitor --pubkey-file "$T/mon3.key" >/dev/null
XDG_STATE_HOME=$S4 "$W" sync --server "$URL" --origin "$LEDGER_ORIGIN" --key "$T/mon3.key" 2>"$T/s4.err" >/dev/null || true
XDG_STATE_HOME=$S4 "$W" report list --origin "$LEDGER_ORIGIN" --json >"$T/s4.json"
check "  ... and sent once the monitor is registered" python3 -c "
import json; r=json.load(open('$T/s4.json'))[0]; assert r['state']=='sent', r"
# a refused report (marked by an older sync) is sent again with --retry-refused
python3 -c "
import json,sys,glob; p=glob.glob(sys.argv[1]+'/willing/outbox/*/*.json')[0]; r=json.load(open(p))
r['state']='refused'; r['why']='401 unknown_key: an older sync'; del r['index']; json.dump(r,open(p,'w'))" "$S4"
XDG_STATE_HOME=$S4 "$W" sync --server "$URL" --origin "$LEDGER_ORIGIN" --key "$T/mon3.key" 2>"$T/s4.err" >/dev/null || true
XDG_STATE_HOME=$S4 "$W" report list --origin "$LEDGER_ORIGIN" --json >"$T/s4.json"
check "a refused report stays refused by a plain sync" python3 -c "
import json; r=json.load(open('$T/s4.json'))[0]; assert r['state']=='refused', r"
XDG_STATE_HOME=$S4 "$W" sync --server "$URL" --origin "$LEDGER_ORIGIN" --key "$T/mon3.key" --retry-refused 2>"$T/s4.err" >/dev/null || true
XDG_STATE_HOME=$S4 "$W" report list --origin "$LEDGER_ORIGIN" --json >"$T/s4.json"
check "  ... and is sent again by sync --retry-refused (already in the log: its index)" python3 -c "
import json; r=json.load(open('$T/s4.json'))[0]; assert r['state']=='sent' and r['existed'] is True, r"

# ---- help, fsck ----
for c in "report --help" "report new --help" "report setup --help" "report list --help" "sync --help"; do
  check "willing $c" sh -c "'$W' $c | grep -q usage"
done
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
check "fsck replays the reports to the same table" "$W" fsck --db "$DB"
finish
