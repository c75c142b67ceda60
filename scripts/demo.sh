#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Creates the demo ledger for `make run` when there is none: the operator, a
# few members, and public statements (illustrative data, each with its
# source); the UK Export Finance facility and the Belfast missile contract with
# fictional deliveries, payments and the host's answers under them; a fictional,
# illustrative draft deal between Ukraine and a fictional party, its zones and
# three coarse sites, signed by both (Ukraine last), and an announced pledge that
# binds from Ukraine's signature; a fictional week of illustrative monitors' reports around
# the deal's zones, and UCDP's history as their baseline (scripts/demo_monitor.sh).
# Appends go through a real daemon on a temporary loopback port.
# Every time, it prints the log's verifier key and its fingerprint (kept in
# verifier-key.txt and verifier-key-fingerprint.txt beside the database), which
# a user compares with the explorer's.
# Usage: scripts/demo.sh path/to/willing path/to/willing.db [HOST:PORT it will be served on]
set -euo pipefail
W=$(readlink -f "$1")
DB=$2
dir=$(dirname "$DB")
LISTEN=${3:-127.0.0.1:8080}

banner() {
  local vkey fp
  vkey=$(cat "$dir/verifier-key.txt" 2>/dev/null) || return 0
  fp=$(cat "$dir/verifier-key-fingerprint.txt" 2>/dev/null) || fp="(unknown)"
  cat >&2 <<MSG

  The log's verifier key (paste it into the explorer: http://$LISTEN/explorer):
      $vkey
  Its fingerprint (the explorer shows it; compare the two):
      $fp
  Both are in $dir/verifier-key.txt and $dir/verifier-key-fingerprint.txt.

MSG
}

if [ -e "$DB" ]; then
  banner
  exit 0
fi

mkdir -p "$dir/keys"
chmod 700 "$dir" "$dir/keys"
ORIGIN=demo.willing.example/coalition
echo "demo: creating $DB (illustrative data)" >&2
out=$("$W" init --db "$DB" --origin "$ORIGIN" --operator cell \
  --name "Coordination cell (illustrative)" --notice "illustrative data: not real commitments")
echo "$out" >&2
awk '/^verifier key:/ {print $3}' <<<"$out" >"$dir/verifier-key.txt"
awk '/^fingerprint:/ {print $2, $3, $4, $5, $6, $7, $8, $9}' <<<"$out" \
  >"$dir/verifier-key-fingerprint.txt"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
"$W" serve --db "$DB" --listen 127.0.0.1:$port --interval 100 --seal-interval 1 --seal-batch 8 \
  2>"$dir/demo-load.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
URL=http://127.0.0.1:$port
for _ in $(seq 1 100); do curl -fs -o /dev/null "$URL/log/checkpoint" && break; sleep 0.05; done

member() { # id role name [--sealed]
  "$W" keygen --out "$dir/keys/$1.key" --member "$1" >/dev/null
  "$W" member add --server "$URL" --key "$DB.operator.key" --id "$1" --role "$2" --name "$3" \
    --pubkey-file "$dir/keys/$1.key" "${@:4}" >/dev/null
}
say() { # id text source [the date its source gives: YYYY, YYYY-MM or YYYY-MM-DD]
  local body
  body=$(python3 -c 'import json,sys; b={"text": sys.argv[1], "source": sys.argv[2], "illustrative": True}
if sys.argv[3]: b["date"] = sys.argv[3]
print(json.dumps(b, ensure_ascii=False))' "$2" "$3" "${4:-}")
  local key=$dir/keys/$1.key
  [ "$1" = cell ] && key=$DB.operator.key
  "$W" append --server "$URL" --key "$key" --kind statement --body "$body" >/dev/null
}

member gb coordinator "United Kingdom"
member fr coordinator "France"
member ua host "Ukraine"
member it member "Italy"
member pl member "Poland"
member us member "United States"
member de member "Germany"
# fictional member states, the only ones with quantified and sealed pledges: each
# told the coordinator privately; Freedonia announces below, the others do not
export XDG_STATE_HOME=$dir/state
member ruritania member "Ruritania (fictional)" --sealed
member freedonia member "Freedonia (fictional)" --sealed
member grand-fenwick member "Grand Fenwick (fictional)" --sealed
for m in ruritania freedonia; do
  "$W" member willing --server "$URL" --key "$dir/keys/$m.key" >/dev/null
done
say cell "Demo ledger: illustrative data, not real commitments. willing is not for classified information." \
  "willing demo"
say gb "Co-lead, with France, of the coalition of the willing; prepared to back a peace deal with boots on the ground and planes in the air, together with others." \
  "UK Prime Minister, press conference after the London summit on Ukraine, 2 March 2025" 2025-03-02
say fr "Co-lead, with the United Kingdom, of the work on security guarantees for Ukraine." \
  "London summit on Ukraine, 2 March 2025; Paris meeting of the coalition, 27 March 2025" 2025-03-27
say ua "Ukraine must be at the table in any talks; it is the host nation of any reassurance force." \
  "London summit on Ukraine, 2 March 2025" 2025-03-02
say it "Will not send ground troops." "Italian government statements, March 2025" 2025-03
say pl "Will lead on logistics; no troops to Ukraine." "Polish government statements, 2025" 2025
say de "Will decide once the conditions are clear." "German government statements, 2025" 2025
say gb "UK Export Finance: a GBP 1.6bn facility letting Ukraine buy more than 5,000 lightweight multirole missiles made in Belfast." \
  "UK government announcement, 2 March 2025" 2025-03-02
say cell "A reassurance force of up to 30,000 is under discussion (illustrative)." \
  "Press reports, 2025; illustrative"

# requirements (coordinator) endorsed by the host nation, and a fact
req() { # id category quantity unit priority quarter
  local out
  out=$("$W" append --server "$URL" --key "$dir/keys/gb.key" --kind requirement.set \
    --body "{\"requirement\":\"$1\",\"category\":\"$2\",\"quantity\":\"$3\",\"unit\":\"$4\",\"priority\":$5,\"needed_by\":\"$6\",\"text\":\"illustrative\"}")
  "$W" append --server "$URL" --key "$dir/keys/ua.key" --kind requirement.endorse \
    --body "{\"requirement\":\"$1\",\"set\":$(awk '/^index/ {print $2}' <<<"$out")}" >/dev/null
}
req reassurance ground_forces 30000 troops 1 2026-Q2
req air-policing air_policing 48 aircraft 1 2026-Q2
req air-defence air_defence 5000 missiles 2 2026-Q3
"$W" append --server "$URL" --key "$dir/keys/gb.key" --kind fact.record \
  --body '{"fact":"ceasefire-signed","text":"illustrative"}' >/dev/null

# Sanctions (issue 12): a few ILLUSTRATIVE designations by three members, made-up subjects
# ("illustrative" in their names and ids), so the pressure page shows a matrix and its gaps.
desig() { # member subject type name listed [extra]
  "$W" append --server "$URL" --key "$dir/keys/$1.key" --kind pressure.designation --body \
    "{\"subject\":\"$2\",\"type\":\"$3\",\"names\":[{\"name\":\"$4\",\"script\":\"Latn\"}]${6:-},\"listed\":\"$5\",\"source\":{\"list\":\"$1\",\"file\":\"$(printf '%064d' 0)\"}}" >/dev/null
}
IMO=',"ids":[{"type":"IMO","value":"9000001"}]'
desig gb illustrative-1 vessel "Illustrative Tanker One" 2024-03-01 "$IMO"
desig us illustrative-1 vessel "Illustrative Tanker 1" 2024-04-10 "$IMO"
desig gb illustrative-2 entity "Illustrative Trading LLC" 2024-02-24
desig de illustrative-2 entity "Illustrative Trading LLC" 2024-05-01
desig us illustrative-3 person "Illustrative Person Three" 2024-06-01
desig de illustrative-4 entity "Illustrative Shipping Ltd" 2024-07-15

# Aid flowing (issue 9): the UK Export Finance facility and the Belfast missile contract
# under it, as publicly stated on 2 March 2025 (sources in each text); the deliveries,
# disbursements, confirmations and the dispute under them are FICTIONAL and say so.
"$W" instrument add --server "$URL" --key "$dir/keys/gb.key" --id ukef-ukraine-2025 \
  --name "UK Export Finance facility for Ukraine's air defence" --type export_credit \
  --level facility --provider gb --amount 1600000000 --currency GBP --date 2025-03-02 \
  --text "GBP 1.6bn of UK export finance, loan-financed (not a grant), for Ukraine to buy more than 5,000 air defence missiles made in Belfast. Sources: UK Prime Minister's statement at the London summit on Ukraine, and the UK government's announcement, both 2 March 2025." \
  >/dev/null
"$W" instrument add --server "$URL" --key "$dir/keys/gb.key" --id belfast-missiles \
  --name "Lightweight multirole missiles, Thales, Belfast" --type export_credit --level contract \
  --provider gb --amount 1160000000 --currency GBP --parent ukef-ukraine-2025 \
  --possible-more 500000000 --date 2025-03-02 \
  --counterparty "Thales UK" --counterparty-country GB \
  --text "The contract under the facility: GBP 1.16bn at first, about GBP 500m more possible (shown, never counted); the contractor Thales UK, whose Belfast site makes the missiles. Sources: UK government announcement and Thales UK statement, 2 March 2025." \
  >/dev/null
flow() { # member, then willing flow add's options; prints the flow's id
  "$W" flow add --server "$URL" --key "$dir/keys/$1.key" "${@:2}" | awk '/^flow / {print $2; exit}'
}
FICTION="FICTIONAL, illustrative only: no such delivery or payment has been reported."
D1=$(flow gb --requirement air-defence --instrument belfast-missiles --stage delivery \
  --date 2025-09 --quantity 300 --unit missiles --text "First lot. $FICTION")
D2=$(flow gb --requirement air-defence --instrument belfast-missiles --stage delivery \
  --date 2025-12 --quantity 500 --unit missiles --text "Second lot. $FICTION")
M1=$(flow gb --requirement air-defence --instrument belfast-missiles --stage disbursement \
  --date 2025-06-30 --amount 150000000 --currency GBP --text "First drawing on the contract. $FICTION")
flow gb --requirement air-defence --instrument belfast-missiles --stage disbursement \
  --date 2025-11-28 --amount 200000000 --currency GBP --text "Second drawing. $FICTION" >/dev/null
"$W" flow confirm --server "$URL" --key "$dir/keys/ua.key" --flow "$D1" --received 300 \
  --date 2025-09-20 --text "FICTIONAL confirmation, illustrative only." >/dev/null
"$W" flow confirm --server "$URL" --key "$dir/keys/ua.key" --flow "$D2" --received 450 \
  --date 2026-01-15 --text "FICTIONAL: 450 of 500 received, in part; illustrative only." >/dev/null
"$W" flow dispute --server "$URL" --key "$dir/keys/ua.key" --flow "$M1" \
  --reason "FICTIONAL dispute, illustrative only: the payment is not seen in the host's accounts." \
  >/dev/null
"$W" rate add --server "$URL" --key "$dir/keys/gb.key" --date 2025-03-03 --from GBP --to EUR \
  --rate 1.2 --source "illustrative rate, not a published reference rate" >/dev/null

# sealed pledges of fictional states; one is announced
pl() { "$W" pledge add --server "$URL" --key "$dir/keys/$1.key" "${@:2}" --text "illustrative data" \
  | awk '/^sealed/ {print $2; exit}'; }
P1=$(pl ruritania --category ground_forces --quantity 2000 --unit troops --place "Western Ukraine" \
  --period 2026-Q2 --condition "all(requires(us), at_least(5, ground_forces))")
P2=$(pl freedonia --category ground_forces --quantity 4000 --unit troops --period 2026-Q2 \
  --condition "fact(ceasefire-signed)")
P3=$(pl grand-fenwick --category air_policing --quantity 8 --unit aircraft --period 2026-Q3)
for _ in $(seq 1 50); do
  "$W" pledge show --server "$URL" --key "$dir/keys/freedonia.key" "$P2" 2>/dev/null \
    | grep -q '"envelope": [0-9]' && break
  sleep 0.2
done
"$W" member announce --server "$URL" --key "$dir/keys/freedonia.key" >/dev/null
"$W" pledge announce --server "$URL" --key "$dir/keys/freedonia.key" "$P2" >/dev/null
: "$P1" "$P3"

# The deal (issue 10): a FICTIONAL draft agreement between Ukraine and a fictional second
# party, its zones and three protected sites placed coarsely (round degrees, precision_km
# 10 or more), illustrative only: no real line, site, text or agreement. The coordinator
# proposes it, the parties sign it (Ukraine last), and an announced pledge conditioned on
# fact(deal-in-force:demo-accord) becomes binding at Ukraine's signature.
member ostland party "Ostland (fictional party)"
mkdir -p "$dir/deal"
geo() { printf '%s\n' "$2" >"$dir/deal/$1.geojson"; }
geo contact '{"type":"LineString","coordinates":[[37.0,50.0],[37.5,49.0],[38.0,48.0],[37.5,47.0]]}'
geo wl-ua '{"type":"LineString","coordinates":[[36.5,50.0],[37.0,49.0],[37.5,48.0],[37.0,47.0]]}'
geo wl-ostland '{"type":"LineString","coordinates":[[37.5,50.0],[38.0,49.0],[38.5,48.0],[38.0,47.0]]}'
geo buffer '{"type":"Polygon","coordinates":[[[36.5,50.0],[37.0,49.0],[37.5,48.0],[37.0,47.0],[38.0,47.0],[38.5,48.0],[38.0,49.0],[37.5,50.0],[36.5,50.0]]]}'
geo energy '{"type":"Point","coordinates":[35.0,47.5]}'
geo water '{"type":"Point","coordinates":[36.0,48.5]}'
geo port '{"type":"Point","coordinates":[36.5,46.75]}'
ILL="ILLUSTRATIVE: fictional, placed coarsely in round degrees; no real line or site."
zone() { # ID TYPE [options]: prints the zone version's entry index
  "$W" zone set --server "$URL" --key "$dir/keys/gb.key" --zone "demo-$1" --type "$2" \
    --geometry "$dir/deal/$1.geojson" --text "$ILL" "${@:3}" | awk '/^index / {print $2}'
}
Z=()
Z+=("$(zone contact contact_line)")
Z+=("$(zone wl-ua withdrawal_line --side ua --measured-from demo-contact)")
Z+=("$(zone wl-ostland withdrawal_line --side ostland --measured-from demo-contact)")
Z+=("$(zone buffer buffer)")
Z+=("$(zone energy site --category energy --precision-km 10)")
Z+=("$(zone water site --category water --precision-km 20)")
Z+=("$(zone port site --category port --precision-km 25)")
cat >"$dir/deal/text.txt" <<'TEXT'
ILLUSTRATIVE DRAFT AGREEMENT (FICTIONAL, NOT A REAL TEXT)

Between Ukraine and Ostland (a fictional party). Made up for willing's demonstration: it
records no real negotiation, position or agreement.

1. The parties cease fire along the contact line of Annex 1.
2. Each party withdraws its heavy weapons behind its own withdrawal line of Annex 1,
   measured from the contact line.
3. No military activity in the buffer zone; the protected sites of Annex 1 are not to be
   targeted.
4. This agreement is in force when every party has signed this exact version.
TEXT
cat >"$dir/deal/annex1.txt" <<'TEXT'
ILLUSTRATIVE ANNEX 1 (FICTIONAL): zones and protected sites

The contact line, each party's withdrawal line, the buffer zone and three protected sites
(energy, water, port) are the zone versions this version names, by entry index; the sites
are placed coarsely and shown to the public only to within their precision.
TEXT
zargs=()
for z in "${Z[@]}"; do zargs+=(--zone "$z"); done
"$W" deal propose --server "$URL" --key "$dir/keys/gb.key" --deal demo-accord \
  --title "Illustrative draft agreement, fictional (demo)" --text "$dir/deal/text.txt" \
  --annex "Annex 1: zones and sites=$dir/deal/annex1.txt" --party ua --party ostland \
  "${zargs[@]}" --public >/dev/null
# a pledge that waits for the deal: announced, binding once the deal is in force
P4=$(pl freedonia --category air_policing --quantity 6 --unit aircraft --period 2026-Q3 \
  --condition "fact(deal-in-force:demo-accord)")
for _ in $(seq 1 50); do
  "$W" pledge show --server "$URL" --key "$dir/keys/freedonia.key" "$P4" 2>/dev/null \
    | grep -q '"envelope": [0-9]' && break
  sleep 0.2
done
"$W" pledge announce --server "$URL" --key "$dir/keys/freedonia.key" "$P4" >/dev/null
"$W" deal sign --server "$URL" --key "$dir/keys/ostland.key" --deal demo-accord >/dev/null
"$W" clear --server "$URL" --key "$dir/keys/gb.key" --record "$dir/clearing-before.json" >/dev/null
"$W" deal sign --server "$URL" --key "$dir/keys/ua.key" --deal demo-accord >/dev/null
"$W" clear --server "$URL" --key "$dir/keys/gb.key" --record "$dir/clearing-after.json" >/dev/null

# the monitors: three fictional teams, a week of their reports, UCDP's history
"$(dirname "$0")/demo_monitor.sh" "$W" "$URL" "$dir" "$DB" "$ORIGIN"

# keys for the console: a login key and a console key each for the coordinator (gb),
# the host nation (ua), an announced member (freedonia), a sealed one (ruritania) and a
# monitor (mon-alpha)
for m in gb ua freedonia ruritania mon-alpha; do
  for scope in login console; do
    pk=$("$W" keygen --out "$dir/keys/$m-$scope.key" --member "$m" --scope "$scope" |
      awk '/^public key:/ {print $3}')
    body="{\"member\":\"$m\",\"key\":\"$pk\",\"scope\":\"$scope\"}"
    if [ "$m" = ruritania ]; then # it has not announced: its keys are sealed too
      "$W" seal --server "$URL" --key "$DB.operator.key" --kind key.add --body "$body" >/dev/null
    else
      "$W" append --server "$URL" --key "$dir/keys/$m.key" --kind key.add --body "$body" >/dev/null
    fi
  done
done

for _ in $(seq 1 40); do
  [ "$(curl -fs "$URL/log/checkpoint" | sed -n 2p)" -ge 30 ] && break
  sleep 0.05
done
echo "demo: $(curl -fs "$URL/log/checkpoint" | sed -n 2p) entries; member keys in $dir/keys/" >&2
echo "demo: sign in to the console with $dir/keys/gb-login.key (the coordinator) or" \
  "$dir/keys/freedonia-login.key (a member), or $dir/keys/mon-alpha-login.key (a monitor:" \
  "http://$LISTEN/monitor); write with the matching *-console.key" >&2
banner
