#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The flows page in Chromium (tests/browser/flows.mjs), against the real daemon
# with flows written by the CLI (willing flow add, instrument add, rate add): a member's announced pledge and its delivery, a
# facility and its contract with a disbursement, a payment in a currency no rate
# converts, a sealed delivery, a rate recorded by the coordinator. The page must
# show what was written (reported beside confirmed, the instrument tree, the rate
# used, "not convertible"); the public must not see the sealed flow; the host
# nation confirms in part and disputes from the page, each an entry the API then
# shows, and a confirmation the server refuses shows the server's own message.
# Usage: test_flows_console.sh path/to/willing
source "$(dirname "$0")/../integration/lib.sh"

[ -x /usr/bin/chromium ] || { echo "not ok - /usr/bin/chromium missing: run scripts/deps.sh --test"; exit 1; }
[ -d "$SRC/tests/browser/node_modules/playwright-core" ] ||
  { echo "not ok - playwright-core missing: run scripts/deps.sh --test"; exit 1; }

new_ledger fl
SEAL=1 start_server fl --seal-batch 4
keys() { # keys ID SCOPE...: a key of each scope for member ID, registered with its signing key
  local id=$1 scope pk
  shift
  for scope in "$@"; do
    pk=$("$W" keygen --out "$T/$id-$scope.key" --member "$id" --scope "$scope" | awk '/^public key:/ {print $3}')
    "$W" append --server "$URL" --key "$T/$id.key" --kind key.add \
      --body "{\"member\":\"$id\",\"key\":\"$pk\",\"scope\":\"$scope\"}" >/dev/null
  done
}
new_member gb coordinator
new_member ua host
new_member xa member
keys ua login console
keys xa login

# xa pledges 5000 missiles and announces it; a delivery of 500 against it
"$W" pledge add --server "$URL" --key "$T/xa.key" --category air_defence --quantity 5000 \
  --unit missiles >"$T/pledge.txt"
SEALED=$(awk '/^sealed/ {print $2; exit}' "$T/pledge.txt")
PLEDGE=$(awk '/^pledge/ {print $2; exit}' "$T/pledge.txt")
wait_envelope "$T/xa.key" "$SEALED"
TODAY=$(date -u +%F) # the pledge's day or after it: a flow may not be dated before its pledge
"$W" pledge announce --server "$URL" --key "$T/xa.key" "$SEALED" >/dev/null
# each written with the CLI; a refusal fails the test, saying why
run() { # run KEY COMMAND...: runs `willing COMMAND ... --server --key`, output in $T/out
  "$W" "${@:2}" --server "$URL" --key "$T/$1.key" >"$T/out" 2>&1 ||
    { not_ok "willing ${*:2} refused: $(cat "$T/out")"; return 1; }
}
flow() { # flow KEY COMMAND...: prints the flow's id (nothing, and why on stderr, if refused)
  "$W" "${@:2}" --server "$URL" --key "$T/$1.key" >"$T/out" 2>&1 || { cat "$T/out" >&2; return; }
  awk '/^flow/ {print $2; exit}' "$T/out"
}
DELIVERY=$(flow xa flow add --pledge "$PLEDGE" --stage delivery --date "$TODAY" --quantity 500 \
  --unit missiles)

# a facility, its contract, a disbursement under the contract; a rate GBP to EUR
run xa instrument add --id xa-facility --name "Export finance (test)" --type export_credit \
  --level facility --provider xa --amount 1600000000 --currency GBP --date 2025-03-01
run xa instrument add --id xa-contract --name "Missile contract (test)" --type export_credit \
  --level contract --provider xa --amount 1160000000 --currency GBP --parent xa-facility \
  --possible-more 500000000 --date 2025-03-01
PAID=$(flow xa flow add --instrument xa-contract --category finance --stage disbursement \
  --date 2025-05-02 --amount 200000000.5 --currency GBP)
run gb rate add --date 2025-03-03 --from GBP --to EUR --rate 1.2095 --source "a test rate"
# money in a currency no rate converts to EUR
USD=$(flow xa flow add --pledge "$PLEDGE" --stage commitment --date "$TODAY" --amount 1000 \
  --currency USD)
# a sealed delivery: the public never sees it
SEALEDFLOW=$(flow xa flow add --pledge "$PLEDGE" --stage delivery --date "$TODAY" --quantity 777 \
  --unit missiles --sealed)
check "the CLI recorded the four flows" sh -c '[ -n "$1" ] && [ -n "$2" ] && [ -n "$3" ] && [ -n "$4" ]' \
  _ "$DELIVERY" "$PAID" "$USD" "$SEALEDFLOW"
size=$(curl -s "$URL/log/checkpoint" | sed -n 2p)
wait_checkpoint "$size"

cd "$SRC/tests/browser"
if node flows.mjs "$URL" "$T" "$DELIVERY" "$PAID" "$USD" "$TODAY" "$SEALEDFLOW"; then
  ok "the flows page in Chromium (flows.mjs)"
else
  not_ok "the flows page in Chromium (flows.mjs)"
fi
finish
