#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# IATI 2.03 through the CLI (willing flows import-iati / export-iati): the real ministries'
# files and the official example read with the sums each file itself gives (computed here
# independently, with python3's exact Decimal); a file failing the schema named by line and
# column; an external entity or an entity bomb refused with the reason and nothing opened
# (strace); bad transactions listed by line with nothing sent. Fixtures: tests/fixtures/iati.
source "$(dirname "$0")/lib.sh"

FIX=$SRC/tests/fixtures/iati
export WILLING_IATI_SCHEMA=$FIX/iati-activities-schema.xsd

# the file's own sums per currency and transaction type (value/@currency, else the
# activity's default-currency), exact, in the CLI's format: CUR<TAB>TYPE<TAB>SUM<TAB>N
file_sums() {
  python3 - "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
from decimal import Decimal
sums = {}
for act in ET.parse(sys.argv[1]).getroot().iter("iati-activity"):
    for t in act.findall("transaction"):
        v = t.find("value")
        cur = (v.get("currency") or act.get("default-currency")).strip()
        for key in ((cur, t.find("transaction-type").get("code")), (cur, "all")):
            s, n = sums.get(key, (Decimal(0), 0))
            sums[key] = (s + Decimal(v.text.strip()), n + 1)
for (cur, typ), (s, n) in sorted(sums.items()):
    s = format(s.normalize(), "f") if s != s.to_integral() else str(int(s))
    print(f"{cur}\t{typ}\t{s}\t{n}")
PY
}

# installed (cmake --install), the program finds the schema installed beside it, with its
# licence note, not the source tree's: a broken installed copy is the one named
cmake --install "$(dirname "$W")" --prefix "$T/p" >/dev/null 2>&1 || true
check "installed: the schema and its licence note in PREFIX/share/willing/iati" \
  test -x "$T/p/bin/willing" -a -f "$T/p/share/willing/iati/iati-common.xsd" -a -f "$T/p/share/willing/iati/README.md"
echo 'not a schema' >"$T/p/share/willing/iati/iati-activities-schema.xsd" 2>/dev/null || true
out=$(env -u WILLING_IATI_SCHEMA "$T/p/bin/willing" flows import-iati "$FIX/activities-nl-mfa-2018.xml" \
  --category finance --dry-run 2>&1 || true)
check "an installed willing reads the installed schema (no --schema needed)" \
  grep -q "schema $T/p/share/willing/iati/" <<<"$out"

for f in activities-nl-mfa-2018.xml activities-fi-mfa-2021.xml activity-standard-example-annotated.xml; do
  "$W" flows import-iati "$FIX/$f" --category finance --dry-run | sort >"$T/$f.sums"
  file_sums "$FIX/$f" >"$T/$f.want"
  check "$f: the sums per currency and transaction type equal the file's own" \
    diff -u "$T/$f.want" "$T/$f.sums"
done
check "the Dutch file: 72 transactions, EUR inherited from default-currency" \
  grep -qxF "$(printf 'EUR\tall\t25979824\t72')" "$T/activities-nl-mfa-2018.xml.sums"
check "the Finnish file: decimals kept exactly" \
  grep -qxF "$(printf 'EUR\tall\t11113847.0501\t9')" "$T/activities-fi-mfa-2021.xml.sums"

# a file that fails the schema: every place named FILE:LINE:COLUMN, nothing read further
sed '0,/<title>/s/<title>/<titel>/;0,/<\/title>/s/<\/title>/<\/titel>/' \
  "$FIX/activities-fi-mfa-2021.xml" >"$T/bad-schema.xml"
line=$(grep -n '<titel>' "$T/bad-schema.xml" | head -1 | cut -d: -f1)
rc=0
"$W" flows import-iati "$T/bad-schema.xml" --category finance --dry-run >/dev/null 2>"$T/schema.err" || rc=$?
check "a file failing the schema: exit 1" test "$rc" -eq 1
check "a file failing the schema: FILE:LINE:COLUMN of the failure" \
  grep -qE "^$T/bad-schema.xml:$line:[1-9][0-9]*: .*titel" "$T/schema.err"
check "a file failing the schema: the reason names the 2.03 schema and the line" \
  grep -qE "fails the IATI 2.03 schema at line $line, column [1-9]" "$T/schema.err"

# external entities and entity bombs: refused with the reason; nothing opened or connected
printf '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<iati-activities version="2.03">&e;</iati-activities>\n' >"$T/xxe.xml"
printf '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "http://127.0.0.1:9/x">]>\n<iati-activities version="2.03">&e;</iati-activities>\n' >"$T/xxe-net.xml"
{
  printf '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
  prev=lol
  for i in 1 2 3 4 5 6 7 8 9; do
    printf '<!ENTITY lol%s "%s">' "$i" "$(printf "&$prev;%.0s" 1 2 3 4 5 6 7 8 9 10)"
    prev=lol$i
  done
  printf ']>\n<iati-activities version="2.03">&lol9;</iati-activities>\n'
} >"$T/bomb.xml"
for x in xxe xxe-net bomb; do
  rc=0
  strace -f -qq -e trace=openat,open,connect -o "$T/$x.strace" \
    "$W" flows import-iati "$T/$x.xml" --category finance --dry-run >/dev/null 2>"$T/$x.err" || rc=$?
  check "$x: refused, exit 1" test "$rc" -eq 1
  check "$x: the reason says a DOCTYPE is refused unread" grep -q "declares a DOCTYPE: refused unread" "$T/$x.err"
  check "$x: strace saw the file itself opened (the trace works)" grep -qF "\"$T/$x.xml\"" "$T/$x.strace"
  check "$x: /etc/passwd never opened, no connection made" \
    sh -c "! grep -qE 'passwd|connect\(' '$T/$x.strace'"
done

# bad transactions: each FILE:LINE: why; nothing sent without --skip-bad
new_ledger iati
start_server iati
new_member gb member
python3 - "$FIX/activities-nl-mfa-2018.xml" "$T/bad-rows.xml" <<'PY'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
seen = 0
for i, l in enumerate(lines):
    if "<transaction-type code=" in l:
        seen += 1
        if seen == 3:
            lines[i] = l.replace('code="2"', 'code="C"').replace('code="3"', 'code="C"')
    if "<value " in l and seen == 5:
        lines[i] = l.replace('">', '" currency="BYR">', 1)
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(lines))
PY
bad_type=$(grep -n 'transaction-type code="C"' "$T/bad-rows.xml" | cut -d: -f1)
bad_cur=$(grep -n 'currency="BYR"' "$T/bad-rows.xml" | cut -d: -f1)
rc=0
"$W" flows import-iati "$T/bad-rows.xml" --server "$URL" --key "$T/gb.key" --category finance \
  >"$T/bad.out" 2>"$T/bad.err" || rc=$?
check "bad transactions: exit 1, nothing sent" test "$rc" -eq 1
check "bad transactions: the type named by its transaction's line" \
  grep -qE "^$T/bad-rows.xml:$((bad_type - 1)): transaction-type 'C' is not an IATI 2.03 code 1-13" "$T/bad.err"
check "bad transactions: a withdrawn currency reported with its date" \
  grep -qE "^$T/bad-rows.xml:[0-9]+: currency 'BYR' was withdrawn on 2018-08-08" "$T/bad.err"
check "bad transactions: the count, and how to send the good ones" \
  grep -qF "nothing sent: 2 of 72 rows are bad (--skip-bad sends the good ones)" "$T/bad.err"
# (not the checkpoint's size: it is published after the member's own entries, at any time)
batches() { curl -fs "$URL/api/v1/entries?kind=flow.batch&author=$1&limit=1000" |
  python3 -c 'import json,sys; print(len(json.load(sys.stdin)["entries"]))'; }
check "bad transactions: no flow.batch of gb stored" test "$(batches gb)" = 0

# the stored rows: flow.batch entries of the importing member, whatever the file's publisher
stored_sums() { # stored_sums AUTHOR: the sums of its flow.batch rows, as file_sums prints them
  curl -fs "$URL/api/v1/entries?kind=flow.batch&author=$1&limit=1000" | python3 -c '
import json, sys
from decimal import Decimal
sums = {}
for e in json.load(sys.stdin)["entries"]:
    for f in e["body"]["flows"]:
        for key in ((f["currency"], f["iati"]["type"]), (f["currency"], "all")):
            s, n = sums.get(key, (Decimal(0), 0))
            sums[key] = (s + Decimal(f["amount"]), n + 1)
for (cur, typ), (s, n) in sorted(sums.items()):
    s = format(s.normalize(), "f") if s != s.to_integral() else str(int(s))
    print(f"{cur}\t{typ}\t{s}\t{n}")'
}
rc=0
"$W" flows import-iati "$T/bad-rows.xml" --server "$URL" --key "$T/gb.key" --category finance \
  --skip-bad >"$T/skip.out" 2>"$T/skip.err" || rc=$?
check "--skip-bad: the good transactions sent, exit 2" test "$rc" -eq 2
check "--skip-bad: the bad ones still listed" grep -qF "2 bad rows left out" "$T/skip.err"
check "--skip-bad: 70 flows stored" grep -qE "^imported 70 flows from .*bad-rows.xml \(SHA-256 [0-9a-f]{64}\) in [0-9]+ flow.batch entries" "$T/skip.out"
new_member fi member
"$W" flows import-iati "$FIX/activities-fi-mfa-2021.xml" --server "$URL" --key "$T/fi.key" \
  --category finance >"$T/fi.out"
check "the Finnish file imported as fi's flow.batch" grep -qE "^imported 9 flows from .* in 1 flow.batch entries" "$T/fi.out"
check "the stored amounts sum to the Finnish file's own sums" \
  diff -u "$T/activities-fi-mfa-2021.xml.want" <(stored_sums fi)
rc=0
"$W" flows import-iati "$FIX/activities-fi-mfa-2021.xml" --server "$URL" --key "$T/fi.key" \
  --category finance >/dev/null 2>"$T/again.err" || rc=$?
check "the same file again: refused whole (the same flow ids), nothing stored twice" \
  sh -c "test $rc -eq 1 && grep -q flow_exists '$T/again.err' && test $(batches fi) = 1"

# export: the member's flows as an IATI 2.03 document, valid, and imported again with every
# amount, currency and transaction type the original file had
"$W" flows export-iati --server "$URL" --member fi -o "$T/fi-export.xml"
check "export-iati: the document validates against the 2.03 schema (xmllint)" \
  xmllint --noout --nonet --schema "$FIX/iati-activities-schema.xsd" "$T/fi-export.xml"
check "export-iati: fi is the reporting-org" \
  test "$(xmllint --xpath 'count(//reporting-org[@ref="fi"])' "$T/fi-export.xml")" = 6
check "export-iati: participating-org roles 1 to 4" \
  test "$(xmllint --xpath 'count(//iati-activity[participating-org[@role="1"] and participating-org[@role="2"] and participating-org[@role="3"]])' "$T/fi-export.xml")" = 6
"$W" flows import-iati "$T/fi-export.xml" --category finance --dry-run | sort >"$T/fi-again.sums"
check "import -> export -> import: every amount, currency and type as in the original file" \
  diff -u "$T/activities-fi-mfa-2021.xml.want" "$T/fi-again.sums"
curl -fs "$URL/api/v1/flows/iati?member=gb" -o "$T/gb-export.xml"
check "GET /api/v1/flows/iati: the Dutch rows stored with --skip-bad, valid" \
  xmllint --noout --nonet --schema "$FIX/iati-activities-schema.xsd" "$T/gb-export.xml"
"$W" flows import-iati "$T/gb-export.xml" --category finance --dry-run | sort >"$T/gb-again.sums"
stored_sums gb >"$T/gb-stored.sums"
check "GET /api/v1/flows/iati: 70 transactions, the rows gb stored with --skip-bad" \
  test "$(xmllint --xpath 'count(//transaction)' "$T/gb-export.xml")" = 70
check "GET /api/v1/flows/iati: they sum to what gb stored, per currency and type, exactly" \
  diff -u "$T/gb-stored.sums" "$T/gb-again.sums"
check "GET /api/v1/flows/iati: a member without flows is 404 no_flows, in JSON" \
  sh -c "test \"\$(curl -s -o '$T/body' -w '%{http_code}' '$URL/api/v1/flows/iati?member=nobody')\" = 404 && grep -q '\"error\":\"no_flows\"' '$T/body'"
curl -s -D "$T/iati.headers" -o /dev/null "$URL/api/v1/flows/iati?member=gb"
check "GET /api/v1/flows/iati: streamed (chunked, no Content-Length), as XML" \
  sh -c "grep -qi '^transfer-encoding: chunked' '$T/iati.headers' && ! grep -qi '^content-length' '$T/iati.headers' && grep -qi '^content-type: application/xml' '$T/iati.headers'"
check "GET /api/v1/flows/iati: member is required" \
  test "$(status GET "/api/v1/flows/iati")" = 400

# what the public sees: never a sealed flow; the member itself, signing, sees its own
new_ledger iatis
SEAL=1 start_server iatis --seal-batch 4
new_member uk member
SS=$("$W" pledge add --server "$URL" --key "$T/uk.key" --category air_defence --quantity 100 \
  --unit launchers | awk '/^sealed/ {print $2; exit}')
wait_envelope "$T/uk.key" "$SS"
PS=$("$W" pledge show --server "$URL" --key "$T/uk.key" --json "$SS" |
  python3 -c 'import json,sys,base64; c=base64.b64decode(json.load(sys.stdin)["content"]).decode(); print(json.loads(c.split("\n")[6])["pledge"])')
"$W" flow add --server "$URL" --key "$T/uk.key" --pledge "$PS" --stage commitment \
  --date "$(date -u +%Y-%m-%d)" --amount 1000.5 --currency GBP --sealed >"$T/sealed-flow.out"
"$W" flows import-iati "$FIX/activities-fi-mfa-2021.xml" --server "$URL" --key "$T/uk.key" \
  --category finance >/dev/null
curl -fs "$URL/api/v1/flows/iati?member=uk" -o "$T/uk-public.xml"
"$W" flows export-iati --server "$URL" --key "$T/uk.key" --member uk --output "$T/uk-own.xml"
check "the public's export: the 9 public flows, not the sealed one" \
  sh -c "test \"\$(xmllint --xpath 'count(//transaction)' '$T/uk-public.xml')\" = 9 && ! grep -q '>1000.5<' '$T/uk-public.xml'"
check "the member's own export (signed): its sealed flow too, valid" \
  sh -c "test \"\$(xmllint --xpath 'count(//transaction)' '$T/uk-own.xml')\" = 10 && grep -q '>1000.5</value>' '$T/uk-own.xml' && xmllint --noout --nonet --schema '$FIX/iati-activities-schema.xsd' '$T/uk-own.xml' 2>/dev/null"

finish
