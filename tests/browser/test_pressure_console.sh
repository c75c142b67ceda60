#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The pressure page in Chromium (tests/browser/pressure.mjs), against the real
# daemon with the demo's six illustrative designations by gb, us and de
# (scripts/demo.sh: a tanker gb then us by one IMO number, an entity gb then de, a
# person by us alone, an entity by de alone), a subject gb designates under a name
# that looks like HTML, and OFAC's reference designation of another. The page must
# show the matrix with the API's counts, list a clicked cell's gaps with their CSV,
# screen a demo subject to a candidate with its why, and show the HTML-looking name
# as text. For the screenings of many names and the imports: gb's facility fac-1 with
# contracts whose counterparties are a designated company, the HTML-looking name and
# none; two imports of OFAC's list and one of the UN's, as snapshots by the operator.
# Usage: test_pressure_console.sh path/to/willing
source "$(dirname "$0")/../integration/lib.sh"

[ -x /usr/bin/chromium ] || { echo "not ok - /usr/bin/chromium missing: run scripts/deps.sh --test"; exit 1; }
[ -d "$SRC/tests/browser/node_modules/playwright-core" ] ||
  { echo "not ok - playwright-core missing: run scripts/deps.sh --test"; exit 1; }

new_ledger pr
start_server pr
cp "$OPKEY" "$T/operator.key"
new_member gb member
new_member us member
new_member de member

desig() { # KEY LIST SUBJECT TYPE NAME LISTED [EXTRA]: as scripts/demo.sh writes them
  "$W" append --server "$URL" --key "$T/$1.key" --kind pressure.designation --body \
    "{\"subject\":\"$3\",\"type\":\"$4\",\"names\":[{\"name\":\"$5\",\"script\":\"Latn\"}]${7:-},\"listed\":\"$6\",\"source\":{\"list\":\"$2\",\"file\":\"$(printf '%064d' 0)\"}}" \
    >"$T/out" 2>&1 || not_ok "designation $2:$3 refused: $(cat "$T/out")"
}
IMO=',"ids":[{"type":"IMO","value":"9000001"}]'
desig gb gb illustrative-1 vessel "Illustrative Tanker One" 2024-03-01 "$IMO"
desig us us illustrative-1 vessel "Illustrative Tanker 1" 2024-04-10 "$IMO"
desig gb gb illustrative-2 entity "Illustrative Trading LLC" 2024-02-24
desig de de illustrative-2 entity "Illustrative Trading LLC" 2024-05-01
desig us us illustrative-3 person "Illustrative Person Three" 2024-06-01
desig de de illustrative-4 entity "Illustrative Shipping Ltd" 2024-07-15 \
  ',"ids":[{"type":"registration","value":"REG-4444"}]'
# a name that looks like markup: the page must show it as text
desig gb gb markup-5 entity "<img src=x id=injected><b id=bold>Markup Holdings</b>" 2024-08-01
desig operator ofac-sdn 90001 person "Reference Person Ofac" 2024-01-10
inst() { # ID LEVEL AMOUNT [OPTIONS...]: gb sets an instrument
  local id=$1 level=$2 amount=$3
  shift 3
  "$W" instrument add --server "$URL" --key "$T/gb.key" --id "$id" --name "Illustrative $id" \
    --type export_credit --level "$level" --provider gb --amount "$amount" --currency GBP "$@" \
    >"$T/out" 2>&1 || not_ok "instrument $id refused: $(cat "$T/out")"
}
inst fac-1 facility 10000
inst c-trading contract 100 --parent fac-1 --counterparty "Illustrative Trading LLC" --counterparty-country GB
inst c-markup contract 100 --parent fac-1 --counterparty "<img src=x id=injected><b id=bold>Markup Holdings</b>"
inst c-none contract 100 --parent fac-1
snap() { # LIST SEED DATE ADDED AMENDED: a snapshot of LIST's file (SEED's SHA-256) by the operator
  "$W" append --server "$URL" --key "$T/operator.key" --kind pressure.snapshot --body \
    "{\"list\":\"$1\",\"file\":\"$(printf '%s' "$2" | sha256sum | cut -d' ' -f1)\",\"date\":\"$3\",\"base\":$(snapshot_base "$1"),\"counts\":{\"subjects\":$4,\"added\":$4,\"amended\":$5,\"delisted\":0}}" \
    >"$T/out" 2>&1 || not_ok "the snapshot $1 $2 refused: $(cat "$T/out")"
}
snap ofac-sdn one 2024-01-10 8976 0
snap ofac-sdn two 2024-02-10 8977 3
snap un-sc three 2024-03-01 1003 0
size=$(curl -s "$URL/log/checkpoint" | sed -n 2p)
wait_checkpoint "$size"

cd "$SRC/tests/browser"
if node pressure.mjs "$URL"; then
  ok "the pressure page in Chromium (pressure.mjs)"
else
  not_ok "the pressure page in Chromium (pressure.mjs)"
fi
finish
