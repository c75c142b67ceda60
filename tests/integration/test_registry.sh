#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# GET /api/v1/registry (issue 8, point 5): public and cacheable, it lists the
# pledge categories with their units and the range of a requirement's priority;
# what it lists is what the server accepts (every category it names makes a
# requirement, one it does not name is refused, and so are priorities outside
# its range), a category's unit is the one total() counts in when none is named,
# and the console holds no copy of the list (no web/js file spells a category
# it lists as a string); the console's pages answer at the URLs users have.
source "$(dirname "$0")/lib.sh"

new_ledger reg
start_server reg
"$W" keygen --out "$T/gb.key" --member gb >/dev/null
"$W" member add --server "$URL" --key "$OPKEY" --id gb --name gb --role coordinator \
  --pubkey-file "$T/gb.key" >/dev/null

check "GET /api/v1/registry answers 200 without signing" [ "$(status GET /api/v1/registry)" = 200 ]
cp "$T/body" "$T/registry.json"
reg() { python3 -c "import json,sys; r=json.load(open('$T/registry.json')); $1"; }
check "it lists the nine pledge categories, ground_forces first, each with a unit or null" \
  reg "c=r['categories']; assert len(c)==9 and c[0]=={'category':'ground_forces','unit':'troops'} and all(set(x)=={'category','unit'} for x in c)"
check "it gives the priority's range, 1 to 5" reg "assert r['priority']=={'min':1,'max':5}"
check "it may be cached (Cache-Control: public)" \
  sh -c "curl -sI '$URL/api/v1/registry' | grep -qi '^cache-control: public'"

app() { "$W" append --server "$URL" --key "$T/gb.key" --kind requirement.set --body "$1" 2>&1; }
n=0
for c in $(reg "print(' '.join(x['category'] for x in r['categories']))"); do
  n=$((n + 1))
  app "{\"requirement\":\"r$n\",\"category\":\"$c\",\"quantity\":\"1\",\"unit\":\"units\",\"priority\":1}" \
    >"$T/out" || true
  grep -q '^index' "$T/out" || { not_ok "a requirement in category $c is accepted"; cat "$T/out"; }
done
check "every category it lists makes a requirement ($n of them)" [ "$n" -eq 9 ]
out=$(app '{"requirement":"rx","category":"cavalry","quantity":"1","unit":"horses","priority":1}' || true)
check "a category it does not list is refused" grep -q category <<<"$out"
out=$(app '{"requirement":"rp","category":"other","quantity":"1","unit":"units","priority":6}' || true)
check "a priority past its range is refused" grep -q priority <<<"$out"

# each unit it names is the one a condition's total() counts in for that category: a pledge
# of 1 in that unit makes "total(category) >= 1" hold (willing clear, offline)
nu=0
for pair in $(reg "print(' '.join(x['category']+':'+x['unit'] for x in r['categories'] if x['unit']))"); do
  c=${pair%%:*}; u=${pair##*:}; nu=$((nu + 1))
  printf '{"facts":[],"pledges":[{"id":"a","member":"xa","category":"%s","unit":"%s","quantity":"1"},{"id":"b","member":"xb","category":"other","unit":"units","quantity":"1","condition":"total(%s) >= 1"}]}' \
    "$c" "$u" "$c" >"$T/in.json"
  "$W" clear --input "$T/in.json" --json >"$T/out" 2>&1 || true
  python3 -c "import json,sys; assert sorted(json.load(open(sys.argv[1]))['binding'])==['a','b']" "$T/out" ||
    { not_ok "total($c) counts in $u, the unit the registry names"; cat "$T/out"; }
done
check "total() counts in the unit the registry names, for each of the $nu categories that name one" \
  [ "$nu" -eq 4 ]

# the pages the console builds from it, by the URLs users have (the coalition's page is
# web/coalition.html since issue 8, and still answers at / and /index.html)
page_with_nav() { [ "$(curl -s -o "$T/page" -w '%{http_code}' "$URL$1")" = 200 ] && grep -q 'js/nav.js' "$T/page"; }
for u in / /index.html /explorer /entry/1 /member /coordinator /flows; do
  check "GET $u serves a page that takes its header from nav.js" page_with_nav "$u"
done
coalition_page() { curl -s "$URL$1" | grep -q 'data-page="coalition"'; }
check "/ and /index.html serve the coalition's page" eval 'coalition_page / && coalition_page /index.html'

copies=""
for c in $(reg "print(' '.join(x['category'] for x in r['categories']))"); do
  f=$(grep -l -E "[\"'\`]$c[\"'\`]" "$SRC"/web/js/*.js || true)
  [ -z "$f" ] || copies="$copies $c:$f"
done
check "no web/js file copies a category the registry lists${copies:+ (found$copies)}" [ -z "$copies" ]
finish
