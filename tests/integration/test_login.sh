#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Console sign-in (docs/FORMAT.md, "Console sessions") as the browser does it:
# a challenge, its text signed with a login key, a session. A challenge signs
# in once and only for its member; a flood of challenge requests from one
# address does not push out a challenge issued to someone else before it.
source "$(dirname "$0")/lib.sh"

new_ledger login
start_server login
"$W" keygen --out "$T/uk.key" --member uk --scope login >/dev/null
"$W" member add --server "$URL" --key "$OPKEY" --id uk --name "United Kingdom" --role member \
  --scope login --pubkey-file "$T/uk.key" >/dev/null

# challenge MEMBER NAME: asks for a challenge; its answer in $T/NAME.json
challenge() {
  curl -s -o "$T/$2.json" -w '%{http_code}' -X POST "$URL/api/v1/login/challenge" \
    -H 'Content-Type: application/json' -d "{\"member\":\"$1\"}"
}
# login MEMBER NAME [KEY]: signs the text of challenge NAME (as the browser does) and signs in
login() {
  python3 -c 'import json,sys; sys.stdout.write(json.load(open(sys.argv[1]))["text"])' "$T/$2.json" >"$T/$2.text"
  local sig ch
  sig=$(openssl pkeyutl -sign -inkey "${3:-$T/uk.key}" -rawin -in "$T/$2.text" | base64 -w0)
  ch=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["challenge"])' "$T/$2.json")
  curl -s -o "$T/body" -w '%{http_code}' -c "$T/cookies" -X POST "$URL/api/v1/login" \
    -H 'Content-Type: application/json' -d "{\"member\":\"$1\",\"challenge\":\"$ch\",\"signature\":\"$sig\"}"
}

check "a challenge is given" [ "$(challenge uk c1)" = 200 ]
check "its signed text signs in" [ "$(login uk c1)" = 200 ]
check "the session is uk's" grep -q '"member":"uk"' "$T/body"
csrf=$(json_field csrf)
check "the session's cookie authenticates a read" [ "$(status GET /api/v1/whoami -b "$T/cookies")" = 200 ]
st=$(status POST /api/v1/logout -b "$T/cookies" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json')
check "sign-out: 200" [ "$st" = 200 ]
st=$(status GET /api/v1/whoami -b "$T/cookies")
check "the old cookie is refused after sign-out: 401 session_expired" [ "$st:$(json_field error)" = 401:session_expired ]
st=$(login uk c1)
check "the same challenge again: 401 login_failed" [ "$st:$(json_field error)" = 401:login_failed ]

challenge uk c2 >/dev/null
check "a challenge given for uk does not sign in fr" [ "$(login fr c2)" = 401 ]

# uk asks for a challenge, then someone floods the endpoint from one address
check "uk's challenge before the flood" [ "$(challenge uk c3)" = 200 ]
python3 - "$URL" <<'PY'
import http.client, sys, urllib.parse
u = urllib.parse.urlparse(sys.argv[1])
c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
for i in range(3000):
    c.request("POST", "/api/v1/login/challenge", body='{"member":"m%d"}' % (i % 7),
              headers={"Content-Type": "application/json"})
    r = c.getresponse(); r.read()
    assert r.status == 200, r.status
PY
check "3,000 challenges later, uk's earlier challenge still signs in" [ "$(login uk c3)" = 200 ]
check "the server still serves" [ "$(status GET /log/checkpoint)" = 200 ]
finish
