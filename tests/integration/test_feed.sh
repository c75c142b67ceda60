#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The Atom feed (GET /feed.atom) is well-formed XML whatever the titles hold
# (a multi-byte character at the title's cut, markup) and whatever the request's
# Host says; its links come from --public-url (default: --listen and TLS); it
# holds at most 200 entries and links to the older ones (rel="next", ?to=I).
source "$(dirname "$0")/lib.sh"

new_ledger feed
start_server feed --public-url 'https://register.example/log/'
"$W" keygen --out "$T/fr.key" --member fr >/dev/null
"$W" member add --server "$URL" --key "$OPKEY" --id fr --name 'F&R <x>' --role member \
  --pubkey-file "$T/fr.key" >/dev/null
# titles are cut at 200 bytes: a 2-byte and a 3-byte character straddling the cut
for pad in 199 198; do
  text="$(python3 -c "print('a' * $pad + 'é€' * 10 + ' <b>&amp;</b> \"q\"')")"
  "$W" append --server "$URL" --key "$T/fr.key" --kind statement \
    --body "$(python3 -c 'import json,sys; print(json.dumps({"text": sys.argv[1]}))' "$text")" >/dev/null
done

# parse FILE: the feed's titles, links and next link, or an error if not XML
parse() {
  python3 - "$1" <<'PY'
import sys, xml.etree.ElementTree as E
ns = {"a": "http://www.w3.org/2005/Atom"}
r = E.parse(sys.argv[1]).getroot()
links = [l.get("href") for l in r.iter("{http://www.w3.org/2005/Atom}link")]
nxt = [l.get("href") for l in r.findall("a:link", ns) if l.get("rel") == "next"]
titles = [e.find("a:title", ns).text for e in r.findall("a:entry", ns)]
print(len(titles), all(h.startswith("https://register.example/log/") for h in links), nxt)
for t in titles:
    print(t)
PY
}
curl -s -H 'Host: evil"><x a="&' "$URL/feed.atom" >"$T/hostile.xml"
out=$(parse "$T/hostile.xml" 2>&1 || true)
check "the feed is well-formed XML with a hostile Host and characters at the cut" \
  grep -q '^2 True \[\]' <<<"$out"
check "the Host header is nowhere in the feed" sh -c "! grep -q evil '$T/hostile.xml'"
check "a title, led by its author's name, is cut at a character, not inside one" \
  python3 -c 'import sys; t=[l for l in sys.argv[1].splitlines() if l.startswith("F&R <x>: ")]; sys.exit(0 if len(t) == 2 and all(x.endswith("\u2026") and len(x.encode()) <= 9 + 200 + 3 for x in t) else 1)' "$out"
check "links are absolute under --public-url (trailing slash dropped)" \
  grep -q 'href="https://register.example/log/entry/[0-9]*"' "$T/hostile.xml"

# more entries than one feed holds: the rest is reachable through rel="next"
"$W" keygen --out "$T/m.key" --member m >/dev/null
"$W" member add --server "$URL" --key "$OPKEY" --id m --name M --role member --pubkey-file "$T/m.key" >/dev/null
"$(dirname "$W")/willing-loadgen" --key "$T/m.key" --origin test.example/feed --port "${URL##*:}" \
  --count 250 --clients 2 >/dev/null
total=$(curl -s "$URL/api/v1/entries?kind=statement&limit=1000" |
  python3 -c 'import json,sys; print(len(json.load(sys.stdin)["entries"]))')
seen=$(python3 - "$URL" <<'PY'
import sys, urllib.request, xml.etree.ElementTree as E
A = "{http://www.w3.org/2005/Atom}"
url, seen, pages, sizes = sys.argv[1] + "/feed.atom", [], 0, []
while url and pages < 10:
    r = E.fromstring(urllib.request.urlopen(url).read())
    es = r.findall(A + "entry")
    sizes.append(len(es))
    seen += [e.find(A + "id").text for e in es]
    nxt = [l.get("href") for l in r.findall(A + "link") if l.get("rel") == "next"]
    url = nxt[0].replace("https://register.example/log", sys.argv[1]) if nxt else None
    pages += 1
print(len(seen), len(set(seen)), max(sizes), pages)
PY
)
check "every statement is in the feed or a page it links ($seen of $total)" \
  [ "$seen" = "$total $total 200 2" ]
check "a bad ?to is refused" [ "$(status GET '/feed.atom?to=x')" = 400 ]

# the default public URL: the --listen address, and https under TLS
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/key.pem" \
  -out "$T/cert.pem" -days 1 -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 2>/dev/null
kill "$SERVER_PID" && wait "$SERVER_PID" 2>/dev/null || true
port=$(free_port)
"$W" serve --db "$(db_of feed)" $(key_args feed) --listen 127.0.0.1:$port --tls-cert "$T/cert.pem" --tls-key "$T/key.pem" \
  --seal-interval 0 2>>"$T/feed.log" &
PIDS+=($!)
for _ in $(seq 1 100); do
  curl -fs --cacert "$T/cert.pem" -o /dev/null "https://127.0.0.1:$port/log/checkpoint" && break
  sleep 0.05
done
curl -s --cacert "$T/cert.pem" -H 'Host: attacker.example' "https://127.0.0.1:$port/feed.atom" >"$T/tls.xml"
check "under TLS the feed's links are https://ADDR:PORT" \
  python3 -c 'import sys,xml.etree.ElementTree as E; r=E.parse(sys.argv[1]).getroot(); h=[l.get("href") for l in r.iter("{http://www.w3.org/2005/Atom}link")]; sys.exit(0 if h and all(x.startswith("https://127.0.0.1:'$port'/") for x in h) else 1)' "$T/tls.xml"
out=$("$W" serve --db "$(db_of feed)" --listen 127.0.0.1:1 --public-url 'javascript:alert(1)' 2>&1 || true)
check "--public-url must be http(s)" grep -q 'public-url wants http' <<<"$out"
finish
