#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A refusal names the field at fault and what is wrong with it, instead of
# printing the whole shape of the body: the write API's bodies
# (POST /api/v1/entries, POST /api/v1/sealed) and the coalition's entry kinds
# (requirement.set, requirement.endorse, fact.record, clearing).
source "$(dirname "$0")/lib.sh"

new_ledger ref
SEAL=600 start_server ref
"$W" keygen --out "$T/gb.key" --member gb >/dev/null
"$W" member add --server "$URL" --key "$OPKEY" --id gb --name "United Kingdom" --role coordinator \
  --pubkey-file "$T/gb.key" >/dev/null
"$W" keygen --out "$T/ua.key" --member ua >/dev/null
"$W" member add --server "$URL" --key "$OPKEY" --id ua --name Ukraine --role host \
  --pubkey-file "$T/ua.key" >/dev/null

# the answer has the status and error code wanted, its message matches
# MUST_MATCH (it names the field) and not MUST_NOT_MATCH (the other fields)
names() { # names DESC STATUS CODE MUST_MATCH MUST_NOT_MATCH got_status
  local d=$1 want=$2 code=$3 must=$4 mustnt=$5 got=$6
  if [ "$got" = "$want" ] && python3 -c '
import json,re,sys
b=json.load(open(sys.argv[1]))
assert b["error"]==sys.argv[2], b
assert re.search(sys.argv[3], b["message"]), b
assert not re.search(sys.argv[4], b["message"]), b' "$T/body" "$code" "$must" "$mustnt"; then
    ok "$d: $(json_field message)"
  else
    not_ok "$d: want $want $code naming /$must/ and not /$mustnt/, got $got $(cat "$T/body")"
  fi
}
post() { status POST "$1" -H 'Content-Type: application/json' --data-binary "$2"; }

# the write API's bodies
names "an entry body with an unknown field" 400 malformed_request "unknown field 'entri'" "base64 note" \
  "$(post /api/v1/entries '{"entri":"AAAA"}')"
names "an entry body without its entry" 400 malformed_request "'entry' is missing" "entries" \
  "$(post /api/v1/entries '{}')"
names "an entry that is not a string" 400 malformed_request "'entry' must be a base64 string" "salt" \
  "$(post /api/v1/entries '{"entry":5}')"
names "a batch that is not a list" 400 malformed_request "'entries' must be a list" "entry\"" \
  "$(post /api/v1/entries:batch '{"entries":"AAAA"}')"
SALT=$(head -c 32 /dev/urandom | base64)
names "a sealed body without its content" 400 malformed_request "'content' is missing" "salt" \
  "$(post /api/v1/sealed "{\"salt\":\"$SALT\"}")"
names "a sealed body with an unknown field" 400 malformed_request "unknown field 'readers'" "content" \
  "$(post /api/v1/sealed "{\"salt\":\"$SALT\",\"content\":\"AAAA\",\"readers\":[]}")"
names "a sealed body whose salt is short" 400 bad_base64 "^'salt' must be .*32" "content" \
  "$(post /api/v1/sealed '{"salt":"AAAA","content":"AAAA"}')"
names "a sealed body whose content is not base64" 400 bad_base64 "^'content' must be .*base64" "salt" \
  "$(post /api/v1/sealed "{\"salt\":\"$SALT\",\"content\":\"*\"}")"
names "a sealed body that is not JSON" 400 malformed_json "not valid JSON" "salt" \
  "$(post /api/v1/sealed '{"salt":')"

# the coalition's kinds: sign each body, post it, read the refusal
append() { # append KIND BODY [MEMBER]: the answer in $T/body, the status printed
  rm -f "$T/e.note"
  "$W" append --output "$T/e.note" --origin test.example/ref --key "$T/${3:-gb}.key" --kind "$1" \
    --body "$2" >/dev/null
  post /api/v1/entries "{\"entry\":\"$(base64 -w0 "$T/e.note")\"}"
}
REQ='"requirement":"lift","category":"logistics","quantity":"10","unit":"aircraft"'
names "requirement.set with a priority of 9" 400 invalid_body "'priority' must be .*1 to 5" \
  "needed_by|category|quantity" "$(append requirement.set "{$REQ,\"priority\":9}")"
names "requirement.set with an unknown category" 400 invalid_body \
  "'category' must be a pledge category" "priority|needed_by" \
  "$(append requirement.set '{"requirement":"lift","category":"navy","quantity":"10","unit":"aircraft","priority":1}')"
names "requirement.set with a quantity that is a number" 400 invalid_body "'quantity' must be" \
  "priority|needed_by" \
  "$(append requirement.set '{"requirement":"lift","category":"logistics","quantity":10,"unit":"aircraft","priority":1}')"
names "requirement.set with a month for a quarter" 400 invalid_body "'needed_by' must be a quarter" \
  "priority|category" "$(append requirement.set "{$REQ,\"priority\":1,\"needed_by\":\"2026-05\"}")"
names "requirement.endorse with a set that is text" 400 invalid_body "'set' must be the index" \
  "'requirement'" "$(append requirement.endorse '{"requirement":"lift","set":"x"}' ua)"
names "fact.record with a name in capitals" 400 invalid_body "'fact' must be an id" "text" \
  "$(append fact.record '{"fact":"Ceasefire"}')"
names "clearing with a result that is not a hash" 400 invalid_body "'result' must be a base64 SHA-256" \
  "'inputs'" "$(append clearing "{\"inputs\":\"$SALT\",\"result\":\"AAAA\"}")"
check "the server still serves" curl -fs -o /dev/null "$URL/log/checkpoint"
finish
