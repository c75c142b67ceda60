#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The flows module's writes against the real daemon (issue 9): instruments (a
# facility and the contract under it), flows on an announced pledge (a
# disbursement on the contract, a delivery by month), a correction by entry
# index, the host's confirmation and dispute, a rate, a sealed flow on a
# sealed pledge confirmed sealed, then announced with its pledge; and every
# refusal of the issue's "bad input" that is the core's, each a 4xx with a
# JSON error naming it and nothing stored (the log's size and the flows table
# unchanged): a flow on someone else's pledge, a confirmation by anyone but the
# host, an unknown currency, an amount with more digits than the type holds, a
# delivery dated before its pledge, a correction of something that is not a
# flow; and a public flow on a sealed pledge, a contract drawn beyond its
# amount, a confirmation of more than reported, a flow on a withdrawn pledge.
# fsck replays it all.
source "$(dirname "$0")/lib.sh"

new_ledger fl
SEAL=1 start_server fl --seal-batch 4
for m in co:coordinator ua:host uk:member fr:member; do new_member "${m%%:*}" "${m##*:}"; done
DB=$(db_of fl)
cli_hex() { head -c 16 /dev/urandom | xxd -p; }

# uk's pledge, announced; another, sealed only
pledge() { "$W" pledge add --server "$URL" --key "$T/$1.key" "${@:2}" | awk '/^sealed/ {print $2; exit}'; }
pid_of() { "$W" pledge show --server "$URL" --key "$T/uk.key" --json "$1" |
  python3 -c 'import json,sys,base64; c=base64.b64decode(json.load(sys.stdin)["content"]).decode(); print(json.loads(c.split("\n")[6])["pledge"])'; }
SA=$(pledge uk --category air_defence --quantity 5000 --unit missiles)
SS=$(pledge uk --category air_defence --quantity 100 --unit launchers)
wait_envelope "$T/uk.key" "$SA"
wait_envelope "$T/uk.key" "$SS"
PA=$(pid_of "$SA")
PS=$(pid_of "$SS")
"$W" pledge announce --server "$URL" --key "$T/uk.key" "$SA" >/dev/null
check "a pledge announced, another sealed ($PA, $PS)" sh -c "[ -n '$PA' ] && [ -n '$PS' ]"
TODAY=$(date -u +%Y-%m-%d)
MONTH=$(date -u +%Y-%m)

count() { python3 -c 'import wldb,sys; print(wldb.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$DB" "$1"; }
# the envelopes of sealed batches come on their own: every other entry counts
state() { python3 -c 'import wldb,sys; d=wldb.connect(sys.argv[1]); print([d.execute(q).fetchone()[0] for q in sys.argv[2:]])' "$DB" \
  "SELECT count(*) FROM entries WHERE kind != 'sealed'" "SELECT count(*) FROM flows" \
  "SELECT count(*) FROM flow_answers" "SELECT count(*) FROM instruments" "SELECT count(*) FROM rates"; }

# refused MEMBER KIND BODY HTTP CODE DESC TEXT: posted as an entry, answered HTTP with
# {"error": CODE} and a message holding TEXT, and nothing stored (lib.sh)
refused() { refused_entry "$1" "$2" "$3" "$4" "$5" "$7" "$6"; }

# instruments: the facility and the Belfast contract under it
echo "UK Export Finance, 2 March 2025 (test copy)" >"$T/ukef.txt"
out=$("$W" instrument add --server "$URL" --key "$T/uk.key" --id ukef-2025 --name "UKEF facility" \
  --type export_credit --level facility --provider uk --amount 1600000000 --currency GBP \
  --date 2025-03-02 --source "$T/ukef.txt" 2>&1)
check "willing instrument add: the facility" grep -q '^instrument ukef-2025' <<<"$out"
check "  ... its source stored as the document's SHA-256" sh -c \
  "[ \"\$(python3 -c 'import wldb,json,sys; print(json.loads(wldb.connect(sys.argv[1]).execute(\"SELECT body FROM instruments WHERE id=?\",(\"ukef-2025\",)).fetchone()[0])[\"source\"])' '$DB')\" = \"\$(sha256sum '$T/ukef.txt' | cut -c1-64)\" ]"
check "willing instrument add: the contract under it" sh -c "'$W' instrument add --server '$URL' \
  --key '$T/co.key' --id belfast-missiles --name 'Belfast missiles' --type export_credit \
  --level contract --provider uk --amount 1160000000 --currency GBP --parent ukef-2025 \
  --possible-more 500000000 >/dev/null"
refused co instrument '{"instrument":"second","name":"x","type":"loan","level":"contract","provider":"uk","amount":"500000000","currency":"GBP","parent":"ukef-2025"}' \
  409 overdrawn "contracts beyond their facility" "ukef-2025"

# flows on the announced pledge
out=$("$W" flow add --server "$URL" --key "$T/uk.key" --pledge "$PA" --instrument belfast-missiles \
  --stage disbursement --date "$TODAY" --amount 200000000.50 --currency GBP 2>&1)
FD=$(awk '/^flow/ {print $2}' <<<"$out")
check "willing flow add: a disbursement on the contract prints its id and index" \
  bash -c "[ -n '$FD' ] && grep -q '^index' <<<'$out'"
out=$("$W" flow add --server "$URL" --key "$T/uk.key" --pledge "$PA" --stage delivery \
  --date "$MONTH" --quantity 500 --unit missiles --text "first lot" 2>&1)
FV=$(awk '/^flow/ {print $2}' <<<"$out")
IV=$(awk '/^index/ {print $2}' <<<"$out")
check "a delivery by month only" [ -n "$FV" ]
out=$("$W" flow add --server "$URL" --key "$T/uk.key" --pledge "$PA" --stage delivery \
  --date "$MONTH" --quantity 450 --unit missiles --supersedes "$IV" 2>&1)
FC=$(awk '/^flow/ {print $2}' <<<"$out")
check "a correction names the flow by its entry index ($IV)" \
  [ "$(count "SELECT superseded_by FROM flows WHERE id='$FV'")" = "$FC" ]
out=$("$W" flow add --server "$URL" --key "$T/fr.key" --pledge "$PA" --stage delivery \
  --date "$MONTH" --quantity 1 --unit missiles 2>/dev/null || true)
check "a refused flow add prints no flow id (a script would take it)" [ -z "$out" ]

# the bad input of the issue, each refused with nothing stored
refused fr flow "{\"flow\":\"$(cli_hex)\",\"pledge\":\"$PA\",\"stage\":\"delivery\",\"date\":\"$MONTH\",\"quantity\":\"1\",\"unit\":\"missiles\"}" \
  404 unknown_pledge "a flow on someone else's pledge" "no pledge $PA of yours"
refused fr flow.confirm "{\"flow\":\"$FC\",\"received\":\"1\",\"date\":\"$TODAY\"}" \
  403 forbidden "a confirmation by anyone but the host" "host"
refused co flow.confirm "{\"flow\":\"$FC\",\"received\":\"1\",\"date\":\"$TODAY\"}" \
  403 forbidden "  ... nor the coordinator" "host"
refused uk flow "{\"flow\":\"$(cli_hex)\",\"pledge\":\"$PA\",\"stage\":\"disbursement\",\"date\":\"$TODAY\",\"amount\":\"5\",\"currency\":\"XYZ\"}" \
  400 invalid_body "an unknown currency" "XYZ is an unknown currency"
refused uk flow "{\"flow\":\"$(cli_hex)\",\"pledge\":\"$PA\",\"stage\":\"disbursement\",\"date\":\"$TODAY\",\"amount\":\"5\",\"currency\":\"LTL\"}" \
  400 invalid_body "a withdrawn currency" "withdrawn on 2018-08-08"
refused uk flow "{\"flow\":\"$(cli_hex)\",\"pledge\":\"$PA\",\"stage\":\"disbursement\",\"date\":\"$TODAY\",\"amount\":\"123456789012345\",\"currency\":\"GBP\"}" \
  400 invalid_body "an amount with more digits than the type holds" "at most 14 digits before the point and 4 after"
refused uk flow "{\"flow\":\"$(cli_hex)\",\"pledge\":\"$PA\",\"stage\":\"disbursement\",\"date\":\"$TODAY\",\"amount\":\"1.00001\",\"currency\":\"GBP\"}" \
  400 invalid_body "  ... or more decimals" "'amount'"
refused uk flow "{\"flow\":\"$(cli_hex)\",\"pledge\":\"$PA\",\"stage\":\"delivery\",\"date\":\"2020-01\",\"quantity\":\"1\",\"unit\":\"missiles\"}" \
  409 before_pledge "a delivery dated before its pledge" "dated 2020-01, before its pledge"
refused uk flow "{\"flow\":\"$(cli_hex)\",\"pledge\":\"$PA\",\"stage\":\"delivery\",\"date\":\"$MONTH\",\"quantity\":\"1\",\"unit\":\"missiles\",\"supersedes\":\"$PA\"}" \
  404 unknown_flow "a correction of something that is not a flow" "names $PA, which is not a public flow"
refused uk flow "{\"flow\":\"$(cli_hex)\",\"pledge\":\"$PA\",\"stage\":\"delivery\",\"date\":\"$MONTH\",\"quantity\":\"1\",\"unit\":\"missiles\",\"supersedes\":\"$FV\"}" \
  409 superseded "a second correction of a corrected flow" "superseded already, by flow $FC"
refused uk flow "{\"flow\":\"$(cli_hex)\",\"pledge\":\"$PS\",\"stage\":\"delivery\",\"date\":\"$MONTH\",\"quantity\":\"1\",\"unit\":\"launchers\"}" \
  409 pledge_sealed "a public flow on a sealed pledge" "seal the flow"
refused uk flow "{\"flow\":\"$(cli_hex)\",\"pledge\":\"$PA\",\"instrument\":\"belfast-missiles\",\"stage\":\"disbursement\",\"date\":\"$TODAY\",\"amount\":\"960000000\",\"currency\":\"GBP\"}" \
  409 overdrawn "a contract drawn beyond its amount" "GBP 960000000 more on ukef-2025 > belfast-missiles would overdraw it"
refused uk flow "{\"flow\":\"$(cli_hex)\",\"pledge\":\"$PA\",\"instrument\":\"belfast-missiles\",\"stage\":\"disbursement\",\"date\":\"$TODAY\",\"amount\":\"-200000000.51\",\"currency\":\"GBP\"}" \
  409 below_zero "a reversal of more than was disbursed" "ukef-2025 > belfast-missiles would take its disbursements below zero"
refused fr flow "{\"flow\":\"$(cli_hex)\",\"activity\":\"GB-1-1\",\"category\":\"air_defence\",\"instrument\":\"belfast-missiles\",\"stage\":\"disbursement\",\"date\":\"$TODAY\",\"amount\":\"1\",\"currency\":\"GBP\"}" \
  404 unknown_instrument "a flow drawn on another member's contract" "no instrument 'belfast-missiles' of yours"
refused fr instrument '{"instrument":"fr-c","name":"x","type":"loan","level":"contract","provider":"fr","amount":"1","currency":"GBP","parent":"ukef-2025"}' \
  404 unknown_instrument "a contract hung under another member's facility" "'parent' ukef-2025 is not an instrument"
refused uk flow "{\"flow\":\"$(cli_hex)\",\"pledge\":\"$PA\",\"instrument\":\"ukef-2025\",\"stage\":\"disbursement\",\"date\":\"$TODAY\",\"amount\":\"1\",\"currency\":\"GBP\"}" \
  409 not_a_leaf "a flow on the facility, not its contract" "ukef-2025 has 1 instruments under it"
refused ua flow.confirm "{\"flow\":\"$FC\",\"received\":\"451\",\"date\":\"$TODAY\"}" \
  409 more_than_reported "a confirmation of more than reported" "more than the 450 missiles"
refused ua flow.confirm "{\"flow\":\"$FV\",\"received\":\"1\",\"date\":\"$TODAY\"}" \
  409 superseded "a confirmation of a corrected flow" "corrected by flow $FC"
refused uk flow.batch "{\"import\":\"$(cli_hex)$(cli_hex)\",\"format\":\"csv\",\"part\":1,\"parts\":1,\"flows\":[{\"flow\":\"$(cli_hex)\",\"pledge\":\"$PA\",\"stage\":\"delivery\",\"date\":\"$MONTH\",\"quantity\":\"1\",\"unit\":\"missiles\"},{\"flow\":\"$(cli_hex)\",\"pledge\":\"$PA\",\"stage\":\"delivery\",\"date\":\"2020-02\",\"quantity\":\"1\",\"unit\":\"missiles\"}]}" \
  409 before_pledge "an import with one bad row: none of its rows" "flows[1]"

# the host answers
check "willing flow confirm: the host confirms 300 of 450, in part" sh -c "'$W' flow confirm \
  --server '$URL' --key '$T/ua.key' --flow $FC --received 300 --date $TODAY >/dev/null"
check "willing flow dispute: and disputes the disbursement" sh -c "'$W' flow dispute \
  --server '$URL' --key '$T/ua.key' --flow $FD --reason 'not received by 31 May' >/dev/null"
check "  ... both answers stored" [ "$(count "SELECT CAST(count(*) AS TEXT) || ':' || min(kind) || ',' || max(kind) FROM flow_answers")" = "2:confirm,dispute" ]
out=$("$W" flow confirm --server "$URL" --key "$T/uk.key" --flow "$FC" --received 1 --date "$TODAY" 2>&1 || true)
check "willing flow confirm by a member: refused, saying who may" grep -q "host" <<<"$out"
check "willing rate add (coordinator)" sh -c "'$W' rate add --server '$URL' --key '$T/co.key' \
  --date 2025-03-03 --from GBP --to EUR --rate 1.2095 --source 'ECB reference rate' >/dev/null"
refused co rate '{"date":"2025-03-03","from":"GBP","to":"EUR","rate":"1.3","source":"x"}' \
  409 rate_exists "a second rate for the same day and pair" "recorded already"
refused uk rate '{"date":"2025-03-04","from":"GBP","to":"EUR","rate":"1.3","source":"x"}' \
  403 forbidden "a rate by a member" "coordinator"

# a sealed flow on the sealed pledge, confirmed sealed, then announced with its pledge
out=$("$W" flow add --server "$URL" --key "$T/uk.key" --pledge "$PS" --stage delivery \
  --date "$MONTH" --quantity 20 --unit launchers --sealed --reader fr 2>&1)
FS=$(awk '/^flow/ {print $2; exit}' <<<"$out")
SF=$(awk '/^sealed/ {print $2; exit}' <<<"$out")
check "willing flow add --sealed on a sealed pledge" [ "$(count "SELECT sealed FROM flows WHERE id='$FS'")" = 1 ]
refused ua flow.confirm "{\"flow\":\"$FS\",\"received\":\"20\",\"date\":\"$TODAY\"}" \
  404 unknown_flow "a public confirmation of a sealed flow (it would reveal it)" "no flow $FS"
check "willing flow confirm --sealed: the host answers it sealed" sh -c "'$W' flow confirm \
  --server '$URL' --key '$T/ua.key' --flow $FS --received 20 --date $TODAY --sealed >/dev/null"
out=$("$W" flow add --server "$URL" --key "$T/fr.key" --pledge "$PS" --stage delivery \
  --date "$MONTH" --quantity 1 --unit launchers --sealed 2>&1 || true)
check "a sealed flow on someone else's sealed pledge: unknown_pledge" grep -q "no pledge $PS of yours" <<<"$out"
check "... and prints no flow id" bash -c '! grep -q "^flow" <<<"$1"' _ "$out"
wait_envelope "$T/uk.key" "$SF"
out=$("$W" pledge announce --server "$URL" --key "$T/uk.key" "$SF" 2>&1 || true)
check "announcing the flow before its pledge is refused (pledge_sealed)" grep -q "seal the flow\|announce the pledge first" <<<"$out"
"$W" pledge announce --server "$URL" --key "$T/uk.key" "$SS" >/dev/null
check "announced after its pledge, the flow is public" sh -c "'$W' pledge announce --server '$URL' \
  --key '$T/uk.key' '$SF' >/dev/null && [ \"\$(python3 -c 'import wldb,sys; print(wldb.connect(sys.argv[1]).execute(\"SELECT sealed FROM flows WHERE id=?\",(sys.argv[2],)).fetchone()[0])' '$DB' '$FS')\" = 0 ]"
# a pledge its author withdrew takes no new flow, public or sealed (an earlier flow on it stays)
SW=$(pledge uk --category air_defence --quantity 10 --unit radars)
wait_envelope "$T/uk.key" "$SW"
PW=$(pid_of "$SW")
"$W" pledge announce --server "$URL" --key "$T/uk.key" "$SW" >/dev/null
out=$("$W" flow add --server "$URL" --key "$T/uk.key" --pledge "$PW" --stage delivery \
  --date "$MONTH" --quantity 2 --unit radars 2>&1)
check "a flow on the pledge before its withdrawal" grep -q '^flow' <<<"$out"
"$W" pledge withdraw --server "$URL" --key "$T/uk.key" "$PW" >/dev/null
refused uk flow "{\"flow\":\"$(cli_hex)\",\"pledge\":\"$PW\",\"stage\":\"delivery\",\"date\":\"$MONTH\",\"quantity\":\"1\",\"unit\":\"radars\"}" \
  409 pledge_withdrawn "a flow on a withdrawn pledge" "pledge $PW was withdrawn"
out=$("$W" flow add --server "$URL" --key "$T/uk.key" --pledge "$PW" --stage delivery \
  --date "$MONTH" --quantity 1 --unit radars --sealed 2>&1 || true)
check "a sealed flow on the withdrawn pledge is refused" grep -q "pledge $PW was withdrawn" <<<"$out"
check "... and prints no flow id" bash -c '! grep -q "^flow" <<<"$1"' _ "$out"
check "the server keeps serving" [ "$(status GET /log/checkpoint)" = 200 ]
kill "$SERVER_PID" && wait "$SERVER_PID" 2>/dev/null || true
check "fsck replays every flow, answer, instrument and rate" sh -c "'$W' fsck --db '$DB' >/dev/null"
finish
