#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The server's CSV exports open safely in a spreadsheet: a cell that begins
# with = + - @ (a formula, OWASP "CSV Injection") is written with a leading
# single quote, inside quotes, its own quotes doubled; plain numbers stay numbers.
source "$(dirname "$0")/lib.sh"

new_ledger csv
start_server csv
i=0
for name in '=HYPERLINK("http://evil.example/","open")' '@SUM(1+1)' '+1+2' '-2+3' 'Plain name'; do
  i=$((i + 1))
  "$W" keygen --out "$T/m$i.key" --member "m$i" >/dev/null
  "$W" member add --server "$URL" --key "$OPKEY" --id "m$i" --name "$name" --role member \
    --pubkey-file "$T/m$i.key" >/dev/null
done
curl -fs "$URL/api/v1/members?format=csv" | tr -d '\r' >"$T/members.csv"
check "members CSV: a formula name is neutralised, its quotes doubled" \
  grep -qxF 'm1,"'"'"'=HYPERLINK(""http://evil.example/"",""open"")",member,announced,1' "$T/members.csv"
check "members CSV: @, + and - at the start are neutralised too" \
  sh -c "grep -qF \"m2,\\\"'@SUM(1+1)\\\"\" '$T/members.csv' && grep -qF \"m3,\\\"'+1+2\\\"\" '$T/members.csv' && grep -qF \"m4,\\\"'-2+3\\\"\" '$T/members.csv'"
check "members CSV: other names are unchanged" grep -qF 'm5,"Plain name",member' "$T/members.csv"
check "members CSV: no cell begins with a formula character" \
  python3 - "$T/members.csv" <<'PY'
import csv, sys
bad = [c for row in csv.reader(open(sys.argv[1], newline="")) for c in row
       if c[:1] in ("=", "+", "@", "\t", "\r") or (c[:1] == "-" and not c[1:].replace(".", "", 1).isdigit())]
sys.exit(1 if bad else 0)
PY
curl -fs "$URL/api/v1/entries?kind=member.add&format=csv" >"$T/entries.csv"
check "entries CSV: still quoted fields, one row per entry" \
  python3 - "$T/entries.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
sys.exit(0 if rows[0][0] == "index" and len(rows) == 7 and all(len(r) == 6 for r in rows) else 1)
PY
finish
