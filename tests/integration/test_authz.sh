#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The authorisation matrix: every private endpoint and every write kind
# (the flows module's and blobs included) against every role (anonymous, the author, another officer of the same
# member, another member, the coordinator, the host nation, a monitor).
# Sealed content and authorship are visible exactly to the author, the
# coordinator and the members the content names.
source "$(dirname "$0")/lib.sh"

new_ledger az
SEAL=1 start_server az --seal-batch 4
for m in xa:member de:member gb:coordinator ua:host mo:monitor; do
  id=${m%%:*}; role=${m##*:}
  "$W" keygen --out "$T/$id.key" --member "$id" >/dev/null
  "$W" member add --server "$URL" --key "$OPKEY" --id "$id" --name "$id" --role "$role" \
    --pubkey-file "$T/$id.key" >/dev/null
done
# a second officer of xa
pk=$("$W" keygen --out "$T/xa2.key" --member xa | awk '/^public key:/ {print $3}')
"$W" append --server "$URL" --key "$T/xa.key" --kind key.add \
  --body "{\"member\":\"xa\",\"key\":\"$pk\",\"scope\":\"sign\"}" >/dev/null
ID=$("$W" pledge add --server "$URL" --key "$T/xa.key" --category logistics --quantity 10 \
  --unit units --readers ua | awk '/^sealed/ {print $2; exit}')
wait_envelope "$T/xa.key" "$ID"

code() { # code ROLE PATH: the status of a GET as ROLE (anon: unsigned)
  if [ "$1" = anon ]; then
    curl -s -o /dev/null -w '%{http_code}' "$URL$2"
  else
    { "$W" fetch --status --key "$T/$1.key" "$URL$2" 2>/dev/null || true; } | head -1
  fi
}
matrix() { # matrix PATH "anon xa xa2 de gb ua mo" expected codes
  local path=$1; shift
  local roles=(anon xa xa2 de gb ua mo) i=0 got
  for want in "$@"; do
    got=$(code "${roles[$i]}" "$path")
    if [ "$got" = "$want" ]; then ok "GET $path as ${roles[$i]}: $want"; else not_ok "GET $path as ${roles[$i]}: want $want, got $got"; fi
    i=$((i + 1))
  done
}
#                                         anon xa  xa2 de  gb  ua  mo
matrix "/api/v1/sealed/$ID"                401 200 200 404 200 200 404
matrix "/api/v1/coverage?view=coordinator" 401 403 403 403 200 403 403
matrix "/api/v1/coverage?view=member"      401 200 200 200 200 200 200
matrix "/api/v1/whoami"                    401 200 200 200 200 200 200
# a sealed member (sx): in the members list exactly for the coordinator and itself
"$W" keygen --out "$T/sx.key" --member sx >/dev/null
"$W" member add --server "$URL" --key "$OPKEY" --sealed --id sx --name "Sx (fictional)" --role member \
  --pubkey-file "$T/sx.key" >/dev/null
matrix "/api/v1/members"                   200 200 200 200 200 200 200
# blobs: a private one to its uploader (either officer), the coordinator; a public one to all
printf 'a private annex' >"$T/priv.txt"
printf 'a public annex' >"$T/pub.txt"
BPRIV=$("$W" blob put --server "$URL" --key "$T/xa.key" "$T/priv.txt" | awk '{print $2}')
BPUB=$("$W" blob put --server "$URL" --key "$T/de.key" --public "$T/pub.txt" | awk '{print $2}')
matrix "/api/v1/blobs/$BPRIV"               404 200 200 404 200 404 404
matrix "/api/v1/blobs/$BPUB"                200 200 200 200 200 200 200
# who uploads a blob (identity's wl_authorize_action, not the route): any member but an observer
"$W" keygen --out "$T/ob.key" --member ob >/dev/null
"$W" member add --server "$URL" --key "$OPKEY" --id ob --name ob --role observer \
  --pubkey-file "$T/ob.key" >/dev/null
put_as() { # put_as ROLE: ok, forbidden (403) or what else the upload answered
  printf 'uploaded by %s' "$1" >"$T/up-$1.txt"
  if [ "$1" = anon ]; then
    curl -s -o /dev/null -w '%{http_code}' -X PUT --data-binary @"$T/up-$1.txt" \
      "$URL/api/v1/blobs/$(sha256sum "$T/up-$1.txt" | cut -c1-64)"
  elif "$W" blob put --server "$URL" --key "$T/$1.key" "$T/up-$1.txt" >/dev/null 2>"$T/up-$1.err"; then
    echo ok
  elif grep -q 'may not upload' "$T/up-$1.err"; then echo forbidden; else cat "$T/up-$1.err"; fi
}
check "blob upload anonymously: 401" [ "$(put_as anon)" = 401 ]
for r in xa xa2 de gb ua mo; do check "blob upload by $r: allowed" [ "$(put_as $r)" = ok ]; done
check "blob upload by an observer: 403 forbidden" [ "$(put_as ob)" = forbidden ]
for r in anon xa xa2 de gb ua mo sx; do
  if [ $r = anon ]; then l=$(curl -s "$URL/api/v1/members"); else l=$("$W" fetch --key "$T/$r.key" "$URL/api/v1/members"); fi
  if grep -q '"sx"' <<<"$l"; then seen=yes; else seen=no; fi
  want=no; { [ $r = gb ] || [ $r = sx ]; } && want=yes
  check "the sealed member in the members list as $r: $want" [ "$seen" = "$want" ]
done
st=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d '{}' "$URL/api/v1/members/announce")
check "members/announce unsigned: 401" [ "$st" = 401 ]
out=$("$W" fetch --key "$T/de.key" --data '' "$URL/api/v1/members/announce" 2>&1 || true)
check "members/announce by a public member: refused (already public)" grep -q already_public <<<"$out"
out=$("$W" coverage --server "$URL" --key "$T/sx.key" --view coordinator 2>&1 || true)
check "the coordinator's coverage as a sealed member: refused" grep -qi "coordinator" <<<"$out"

# authorship: only the author's member view, and the coordinator's, show the sealed pledge
for r in xa xa2 gb; do
  check "the $r view shows xa's sealed pledge" sh -c "'$W' coverage --server '$URL' --key '$T/$r.key' --view $([ $r = gb ] && echo coordinator || echo member) --json | grep -q '\"member\":\"xa\"'"
done
for r in de ua mo; do
  check "the $r member view does not show xa's sealed pledge" sh -c "! '$W' coverage --server '$URL' --key '$T/$r.key' --view member --json | grep -q '\"member\":\"xa\"'"
done
check "the public view does not show it" sh -c "! curl -s '$URL/api/v1/coverage' | grep -q '\"member\":\"xa\"'"

# writes by role
w() { "$W" append --server "$URL" --key "$T/$1.key" --kind "$2" --body "$3" >/dev/null 2>&1 && echo ok || echo refused; }
REQ='{"requirement":"r1","category":"logistics","quantity":"5","unit":"units","priority":2}'
for r in xa de ua mo; do check "requirement.set by $r: refused" [ "$(w $r requirement.set "$REQ")" = refused ]; done
# the coordinator's requirement.set: its index from the append's own answer (the entry
# is durable, whether or not a checkpoint covers it yet)
SETIDX=$("$W" append --server "$URL" --key "$T/gb.key" --kind requirement.set --body "$REQ" 2>&1 |
  awk '/^index / {print $2}')
check "requirement.set by the coordinator" [ -n "$SETIDX" ]
for r in xa gb mo; do check "requirement.endorse by $r: refused" [ "$(w $r requirement.endorse "{\"requirement\":\"r1\",\"set\":$SETIDX}")" = refused ]; done
check "requirement.endorse by the host nation" [ "$(w ua requirement.endorse "{\"requirement\":\"r1\",\"set\":$SETIDX}")" = ok ]
for r in xa de ua mo; do check "fact.record by $r: refused" [ "$(w $r fact.record '{"fact":"f"}')" = refused ]; done
check "fact.record by the coordinator" [ "$(w gb fact.record '{"fact":"f"}')" = ok ]
check "member.add by a member: refused" [ "$(w gb member.add "{\"member\":\"zz\",\"name\":\"z\",\"role\":\"member\",\"key\":\"$pk\"}")" = refused ]
# the flows module's kinds by role (issue 9): flows by members, the coordinator and the
# operator; answers by the host nation only; rates by the coordinator; instruments by their
# provider or the coordinator
hex() { head -c 16 /dev/urandom | xxd -p; }
flow() { echo "{\"flow\":\"$1\",\"requirement\":\"r1\",\"stage\":\"$2\",\"date\":\"$(date -u +%Y-%m-%d)\",\"quantity\":\"5\",\"unit\":\"units\"}"; }
for r in xa xa2 de gb; do check "flow by $r" [ "$(w $r flow "$(flow "$(hex)" commitment)")" = ok ]; done
for r in ua mo; do check "flow by $r: refused" [ "$(w $r flow "$(flow "$(hex)" commitment)")" = refused ]; done
FX=$(hex)
check "a delivery by xa" [ "$(w xa flow "$(flow "$FX" delivery)")" = ok ]
for k in flow.confirm flow.dispute; do
  body="{\"flow\":\"$FX\",\"received\":\"5\",\"date\":\"$(date -u +%Y-%m-%d)\"}"
  [ $k = flow.dispute ] && body="{\"flow\":\"$FX\",\"reason\":\"not seen\"}"
  for r in xa de gb mo; do check "$k by $r: refused" [ "$(w $r $k "$body")" = refused ]; done
  check "$k by the host nation" [ "$(w ua $k "$body")" = ok ]
done
RATE='{"date":"2025-03-03","from":"GBP","to":"EUR","rate":"1.2095","source":"ECB"}'
for r in xa de ua mo; do check "rate by $r: refused" [ "$(w $r rate "$RATE")" = refused ]; done
check "rate by the coordinator" [ "$(w gb rate "$RATE")" = ok ]
INS='{"instrument":"xa-fund","name":"x","type":"grant","level":"contract","provider":"xa","amount":"10","currency":"EUR"}'
for r in de ua mo; do check "instrument of xa's by $r: refused" [ "$(w $r instrument "$INS")" = refused ]; done
check "instrument by its provider" [ "$(w xa instrument "$INS")" = ok ]
check "instrument amended by the coordinator" [ "$(w gb instrument "${INS/\"10\"/\"20\"}")" = ok ]
BATCH="{\"import\":\"$(hex)$(hex)\",\"format\":\"csv\",\"part\":1,\"parts\":1,\"flows\":[$(flow "$(hex)" allocation)]}"
for r in ua mo; do check "flow.batch by $r: refused" [ "$(w $r flow.batch "$BATCH")" = refused ]; done
check "flow.batch by a member" [ "$(w de flow.batch "$BATCH")" = ok ]
# the deal's kinds by role (issue 10): proposals by the coordinator (or the operator); a
# signature or a notice by a party of the version, whatever its role; the deals public
H0=$(printf 'deal text' | sha256sum | cut -c1-64)
DEAL="{\"deal\":\"az\",\"version\":1,\"title\":\"t\",\"text\":\"$H0\",\"parties\":[\"ua\",\"de\"]}"
for r in xa de ua mo; do check "deal.propose by $r: refused" [ "$(w $r deal.propose "$DEAL")" = refused ]; done
check "deal.propose by the coordinator" [ "$(w gb deal.propose "$DEAL")" = ok ]
DH=$(curl -fs "$URL/api/v1/deals/az" | python3 -c 'import json,sys; print(json.load(sys.stdin)["versions"][0]["hash"])')
for r in xa gb mo; do check "deal.sign by $r (not a party): refused" [ "$(w $r deal.sign "{\"deal\":\"az\",\"version\":1,\"hash\":\"$DH\"}")" = refused ]; done
for r in de ua; do check "deal.sign by the party $r" [ "$(w $r deal.sign "{\"deal\":\"az\",\"version\":1,\"hash\":\"$DH\"}")" = ok ]; done
for r in xa gb mo; do check "deal.notice by $r (not a party): refused" [ "$(w $r deal.notice '{"deal":"az","notice":"suspend","text":"x"}')" = refused ]; done
check "deal.notice by a party" [ "$(w de deal.notice '{"deal":"az","notice":"suspend","text":"x"}')" = ok ]
#                                         anon xa  xa2 de  gb  ua  mo
matrix "/api/v1/deals"                     200 200 200 200 200 200 200
matrix "/api/v1/deals/az"                  200 200 200 200 200 200 200
# the deal's zones (issue 10): zone.set by the coordinator (or the operator) only
ZONE='{"zone":"z1","type":"buffer","geometry":{"type":"Polygon","coordinates":[[[36,50],[37,50],[37,49],[36,50]]]}}'
for r in xa de ua mo; do check "zone.set by $r: refused" [ "$(w $r zone.set "$ZONE")" = refused ]; done
check "zone.set by the coordinator" [ "$(w gb zone.set "$ZONE")" = ok ]
# monitors' reports (issue 11): monitor.report by a monitor only, whatever else a role may
# write; the reports public
REPORT="{\"observed\":$(($(date +%s) - 60)),\"precision_s\":600,\"location\":{\"oblast\":\"donetsk\"},\"type\":\"explosion\"}"
for r in xa de gb ua; do check "monitor.report by $r: refused" [ "$(w $r monitor.report "$REPORT")" = refused ]; done
check "monitor.report by the monitor" [ "$(w mo monitor.report "$REPORT")" = ok ]
#                                         anon xa  xa2 de  gb  ua  mo
matrix "/api/v1/reports"                   200 200 200 200 200 200 200
# incidents' overrides (issue 11): monitor.merge and monitor.split by a monitor or the
# coordinator only; the incidents public
check "a second report by the monitor" [ "$(w mo monitor.report "$REPORT")" = ok ]
RIX=$(curl -s "$URL/api/v1/reports" | python3 -c 'import json,sys; print(",".join(str(r["index"]) for r in json.load(sys.stdin)["reports"][:2]))')
MERGE="{\"reports\":[$RIX],\"reason\":\"one shelling seen by two posts\"}"
SPLIT="{\"reports\":[${RIX%%,*}],\"reason\":\"two events after all\"}"
for r in xa de ua; do
  check "monitor.merge by $r: refused" [ "$(w $r monitor.merge "$MERGE")" = refused ]
  check "monitor.split by $r: refused" [ "$(w $r monitor.split "$SPLIT")" = refused ]
done
check "monitor.merge by the monitor" [ "$(w mo monitor.merge "$MERGE")" = ok ]
check "monitor.split by the coordinator" [ "$(w gb monitor.split "$SPLIT")" = ok ]
# compliance (issue 11): thresholds and the recorded daily report by the coordinator only
THR='{"zone":"z1","type":"explosion","above":5,"days":3,"text":"more than 5 explosions 3 days running"}'
DREC="{\"day\":\"2026-03-29\",\"blob\":\"$(printf 'not held' | sha256sum | cut -c1-64)\"}"
for r in xa de ua mo; do
  check "monitor.threshold by $r: refused" [ "$(w $r monitor.threshold "$THR")" = refused ]
  check "monitor.daily by $r: refused" [ "$(w $r monitor.daily "$DREC")" = refused ]
done
check "monitor.threshold by the coordinator" [ "$(w gb monitor.threshold "$THR")" = ok ]
check "monitor.daily by the coordinator" [ "$(w gb monitor.daily "$DREC")" = ok ]
TODAY=$(date -u +%F)
#                                         anon xa  xa2 de  gb  ua  mo
matrix "/api/v1/incidents?day=$TODAY"      200 200 200 200 200 200 200
matrix "/api/v1/compliance?day=$TODAY"     200 200 200 200 200 200 200
matrix "/api/v1/compliance/alerts?day=$TODAY" 200 200 200 200 200 200 200
# history (issue 11): UCDP's events, history.batch by the coordinator only; read by anyone
EV='{"line":2,"id":1,"year":2014,"type_of_violence":1,"conflict_name":"c","dyad_name":"d","side_a":"a","side_b":"b","where_prec":1,"latitude":"50.45","longitude":"30.52","date_prec":1,"date_start":"2014-01-22","date_end":"2014-01-22","deaths_a":0,"deaths_b":1,"deaths_civilians":0,"deaths_unknown":0,"best":1,"high":1,"low":1}'
HB="{\"source\":\"ucdp-ged\",\"release\":\"az\",\"file\":\"$(printf '%064d' 0)\",\"part\":1,\"parts\":1,\"events\":[$EV]}"
for r in xa de ua mo; do check "history.batch by $r: refused" [ "$(w $r history.batch "$HB")" = refused ]; done
check "history.batch by the coordinator" [ "$(w gb history.batch "$HB")" = ok ]
#                                         anon xa  xa2 de  gb  ua  mo
matrix "/api/v1/history"                   200 200 200 200 200 200 200
matrix "/api/v1/history/events?limit=5"    200 200 200 200 200 200 200
matrix "/api/v1/daily/2026-03-29"          200 200 200 200 200 200 200
# pressure (issue 12): a designation by any member for its own list with its own key, by the
# operator for another authority's list; a snapshot by the operator only; read by anyone
PH=$(printf '%064d' 0)
PD() { echo "{\"subject\":\"$2\",\"type\":\"person\",\"names\":[{\"name\":\"Ivan Ivanov\",\"script\":\"Latn\"}],\"listed\":\"2022-03-15\",\"source\":{\"list\":\"$1\",\"file\":\"$PH\"}}"; }
PS="{\"list\":\"ofac-sdn\",\"file\":\"$PH\",\"date\":\"2022-03-15\",\"base\":null,\"counts\":{\"subjects\":1,\"added\":1,\"amended\":0,\"delisted\":0}}"
cp "$OPKEY" "$T/op-pressure.key"
for r in xa de gb ua mo; do check "pressure.designation by $r for its own list" [ "$(w $r pressure.designation "$(PD $r s1)")" = ok ]; done
for r in de gb mo; do check "pressure.designation by $r for xa's list: refused" [ "$(w $r pressure.designation "$(PD xa s2)")" = refused ]; done
check "pressure.designation by a member for another authority's list: refused" [ "$(w gb pressure.designation "$(PD ofac-sdn s3)")" = refused ]
check "pressure.designation by the operator for another authority's list" [ "$(w op-pressure pressure.designation "$(PD ofac-sdn s3)")" = ok ]
check "pressure.designation by the operator for a member's list: refused" [ "$(w op-pressure pressure.designation "$(PD gb s4)")" = refused ]
# pressure.batch (an import's designations in one entry): whose list as for a designation
PB() { echo "{\"list\":\"$1\",\"file\":\"$PH\",\"part\":1,\"parts\":1,\"designations\":[$(PD "$1" "$2")]}"; }
for r in xa de gb ua mo; do check "pressure.batch by $r for its own list" [ "$(w $r pressure.batch "$(PB $r b1)")" = ok ]; done
for r in de gb mo; do check "pressure.batch by $r for xa's list: refused" [ "$(w $r pressure.batch "$(PB xa b2)")" = refused ]; done
check "pressure.batch by a member for another authority's list: refused" [ "$(w gb pressure.batch "$(PB ofac-sdn b3)")" = refused ]
check "pressure.batch by the operator for another authority's list" [ "$(w op-pressure pressure.batch "$(PB ofac-sdn b3)")" = ok ]
check "pressure.batch by the operator for a member's list: refused" [ "$(w op-pressure pressure.batch "$(PB gb b4)")" = refused ]
check "... each batch stored its one designation, the refused ones none" python3 -c "
import wldb; db = wldb.connect('$(db_of az)')
rows = sorted(db.execute(\"SELECT source, subject FROM designations WHERE subject LIKE 'b_'\").fetchall())
assert rows == sorted([(r, 'b1') for r in ('xa','de','gb','ua','mo')] + [('ofac-sdn', 'b3')]), rows"
for r in xa de gb ua mo; do check "pressure.snapshot by $r: refused" [ "$(w $r pressure.snapshot "$PS")" = refused ]; done
check "pressure.snapshot by the operator" [ "$(w op-pressure pressure.snapshot "$PS")" = ok ]
# an analyst's decision on two stored designations: the coordinator or the operator, no other role
PC() { echo "{\"a\":{\"list\":\"xa\",\"subject\":\"s1\"},\"b\":{\"list\":\"de\",\"subject\":\"s1\"},\"same\":$1,\"reason\":\"one passport\"}"; }
for r in xa de ua mo; do check "pressure.decision by $r: refused" [ "$(w $r pressure.decision "$(PC true)")" = refused ]; done
check "pressure.decision by the coordinator" [ "$(w gb pressure.decision "$(PC true)")" = ok ]
check "pressure.decision by the operator" [ "$(w op-pressure pressure.decision "$(PC false)")" = ok ]
#                                         anon xa  xa2 de  gb  ua  mo
matrix "/api/v1/pressure/subjects"         200 200 200 200 200 200 200
matrix "/api/v1/pressure/screen?name=Ivanov" 200 200 200 200 200 200 200
# a sealed flow on xa's sealed pledge: read by its author's officers, the coordinator and its reader
PID=$("$W" pledge show --server "$URL" --key "$T/xa.key" --json "$ID" |
  python3 -c 'import json,sys,base64; c=base64.b64decode(json.load(sys.stdin)["content"]).decode(); print(json.loads(c.split("\n")[6])["pledge"])')
SFL=$("$W" flow add --server "$URL" --key "$T/xa.key" --pledge "$PID" --stage delivery \
  --date "$(date -u +%Y-%m)" --quantity 2 --unit units --sealed --reader ua | awk '/^sealed/ {print $2; exit}')
wait_envelope "$T/xa.key" "$SFL"
#                                         anon xa  xa2 de  gb  ua  mo
matrix "/api/v1/sealed/$SFL"               401 200 200 404 200 200 404
out=$("$W" flow add --server "$URL" --key "$T/de.key" --pledge "$PID" --stage delivery \
  --date "$(date -u +%Y-%m)" --quantity 2 --unit units --sealed 2>&1 || true)
check "a sealed flow on another member's sealed pledge: refused as unknown" grep -q "no pledge $PID of yours" <<<"$out"
out=$("$W" flow confirm --server "$URL" --key "$T/de.key" --flow "$FX" --received 1 --date "$(date -u +%Y-%m-%d)" --sealed 2>&1 || true)
check "a sealed confirmation by a member: refused" grep -q "host" <<<"$out"
# announcing: not by another member; yes by another officer of the author's member
mkdir -p "$T/s2/willing/sealed"; cp "$XDG_STATE_HOME/willing/sealed/$ID.json" "$T/s2/willing/sealed/"
check "announce by another member: refused" sh -c "! XDG_STATE_HOME='$T/s2' '$W' pledge announce --server '$URL' --key '$T/de.key' $ID >/dev/null 2>&1"
check "announce by another officer of the author's member" sh -c "XDG_STATE_HOME='$T/s2' '$W' pledge announce --server '$URL' --key '$T/xa2.key' $ID >/dev/null"
# access ends with its grounds, at once: a revoked key, a revoked session's login key,
# a withdrawn coordinator (signed requests and console sessions alike)
login() { # login MEMBER KEY: signs in as the browser does; the cookie in $T/MEMBER.jar
  curl -s -o "$T/ch.json" -X POST "$URL/api/v1/login/challenge" -H 'Content-Type: application/json' \
    -d "{\"member\":\"$1\"}"
  python3 -c 'import json,sys; sys.stdout.write(json.load(open(sys.argv[1]))["text"])' "$T/ch.json" >"$T/ch.text"
  local sig ch
  sig=$(openssl pkeyutl -sign -inkey "$2" -rawin -in "$T/ch.text" | base64 -w0)
  ch=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["challenge"])' "$T/ch.json")
  curl -s -o /dev/null -w '%{http_code}' -c "$T/$1.jar" -X POST "$URL/api/v1/login" \
    -H 'Content-Type: application/json' -d "{\"member\":\"$1\",\"challenge\":\"$ch\",\"signature\":\"$sig\"}"
}
sess() { curl -s -o "$T/body" -w '%{http_code}' -b "$T/$1.jar" "$URL$2"; }
"$W" keygen --out "$T/gc.key" --member gc >/dev/null
"$W" member add --server "$URL" --key "$OPKEY" --id gc --name gc --role coordinator \
  --pubkey-file "$T/gc.key" >/dev/null
for id in gb gc; do
  pk=$("$W" keygen --out "$T/$id-login.key" --member "$id" --scope login | awk '/^public key:/ {print $3}')
  "$W" append --server "$URL" --key "$T/$id.key" --kind key.add \
    --body "{\"member\":\"$id\",\"key\":\"$pk\",\"scope\":\"login\"}" >/dev/null
  check "$id signs in to the console" [ "$(login $id "$T/$id-login.key")" = 200 ]
done
for id in gb gc; do
  check "$id's session: the coordinator's view" [ "$(sess $id "/api/v1/coverage?view=coordinator")" = 200 ]
  check "$id's session: xa's sealed pledge" [ "$(sess $id "/api/v1/sealed/$ID")" = 200 ]
done
check "gc signed: the coordinator's view" [ "$(code gc "/api/v1/coverage?view=coordinator")" = 200 ]
# gb revokes the login key its session signed in with: the session ends at once
pk=$(openssl pkey -in "$T/gb-login.key" -pubout -outform DER | tail -c 32 | base64)
"$W" append --server "$URL" --key "$T/gb.key" --kind key.revoke \
  --body "{\"member\":\"gb\",\"key\":\"$pk\"}" >/dev/null
st=$(sess gb "/api/v1/sealed/$ID")
check "a session whose login key was revoked: 401 session_expired" [ "$st:$(json_field error)" = 401:session_expired ]
check "nor the coordinator's view" [ "$(sess gb "/api/v1/coverage?view=coordinator")" = 401 ]
sess gb /api/v1/session >/dev/null
check "and GET /api/v1/session knows no one" [ "$(json_field member)" = None ]
check "gb's sign key still reads it" [ "$(code gb "/api/v1/sealed/$ID")" = 200 ]
# xa revokes its second officer's key: that officer loses access at once
pk=$(openssl pkey -in "$T/xa2.key" -pubout -outform DER | tail -c 32 | base64)
"$W" append --server "$URL" --key "$T/xa.key" --kind key.revoke \
  --body "{\"member\":\"xa\",\"key\":\"$pk\"}" >/dev/null
matrix "/api/v1/sealed/$ID" 401 200 401 404 200 200 404
# gc withdraws: it keeps nothing of the coordinator's view, signed or signed in
"$W" member withdraw --server "$URL" --key "$T/gc.key" >/dev/null
check "withdrawn gc signed: no coordinator's view (403)" [ "$(code gc "/api/v1/coverage?view=coordinator")" = 403 ]
check "withdrawn gc signed: xa's sealed pledge is not there (404)" [ "$(code gc "/api/v1/sealed/$ID")" = 404 ]
check "withdrawn gc signed: no clearing inputs (403)" [ "$(code gc /api/v1/clearing/inputs)" = 403 ]
check "withdrawn gc signed: the sealed member is not in its members list" \
  sh -c "! '$W' fetch --key '$T/gc.key' '$URL/api/v1/members' | grep -q '\"sx\"'"
check "withdrawn gc's session: no coordinator's view (403)" [ "$(sess gc "/api/v1/coverage?view=coordinator")" = 403 ]
check "withdrawn gc's session: xa's sealed pledge is not there (404)" [ "$(sess gc "/api/v1/sealed/$ID")" = 404 ]
check "the active coordinator keeps its view" [ "$(code gb "/api/v1/coverage?view=coordinator")" = 200 ]
finish
