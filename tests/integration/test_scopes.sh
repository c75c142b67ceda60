#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Which key scope may write which kind (issue 14, point 7): every kind, as an
# entry and as sealed content, against a key of every scope (sign, console,
# login), by every route (one entry, a batch, sealed content, an announcement,
# a member announcing itself). Members and keys change only with a `sign` key:
# a console key can neither mint a key nor revoke one. Everything else takes a
# `sign` or a `console` key; a `login` key writes nothing. A refusal is 403
# key_scope naming the scope.
source "$(dirname "$0")/lib.sh"

new_ledger sc
SEAL=1 start_server sc --seal-batch 4
ORIGIN=test.example/sc
OP=$(sed -n 's/^Member: //p' "$OPKEY")
cp "$OPKEY" "$T/$OP-sign.key"

pubkey() { "$W" keygen --out "$1" --member "$2" ${3:+--scope "$3"} | awk '/^public key:/ {print $3}'; }
for m in gb:coordinator ua:host xa:member; do
  id=${m%%:*}; role=${m##*:}
  pubkey "$T/$id-sign.key" "$id" >/dev/null
  "$W" member add --server "$URL" --key "$OPKEY" --id "$id" --name "$id" --role "$role" \
    --pubkey-file "$T/$id-sign.key" >/dev/null
done
for id in "$OP" gb ua xa; do
  for s in console login; do
    pk=$(pubkey "$T/$id-$s.key" "$id" "$s")
    "$W" append --server "$URL" --key "$T/$id-sign.key" --kind key.add \
      --body "{\"member\":\"$id\",\"key\":\"$pk\",\"scope\":\"$s\"}" >/dev/null
  done
done

SCOPES="sign console login"
declare -A SPARE SETIDX PLEDGE
# what each kind allows: identity kinds sign only, every other kind sign or console
want() { # want KIND SCOPE: ok or key_scope
  case "$1:$2" in
    *:login | member.add:console | key.add:console | key.revoke:console | member.status:console) echo key_scope ;;
    *) echo ok ;;
  esac
}

# what each kind needs, set up with sign keys: keys to revoke, members to withdraw,
# requirements to endorse, facts to retract, pledges to announce
b64() { head -c 32 /dev/urandom | base64; }
for s in $SCOPES; do
  SPARE[$s]=$(pubkey "$T/spare-$s.key" gb)
  "$W" append --server "$URL" --key "$T/gb-sign.key" --kind key.add \
    --body "{\"member\":\"gb\",\"key\":\"${SPARE[$s]}\",\"scope\":\"sign\"}" >/dev/null
  "$W" member add --server "$URL" --key "$OPKEY" --id "w-$s" --name "w $s" --role member \
    --pubkey "$(b64)" >/dev/null
  SETIDX[$s]=$("$W" append --server "$URL" --key "$T/gb-sign.key" --kind requirement.set \
    --body "{\"requirement\":\"e-$s\",\"category\":\"logistics\",\"quantity\":\"5\",\"unit\":\"units\",\"priority\":2}" |
    awk '/^index/ {print $2}')
  "$W" append --server "$URL" --key "$T/gb-sign.key" --kind fact.record --body "{\"fact\":\"r-$s\"}" >/dev/null
  PLEDGE[$s]=$("$W" pledge add --server "$URL" --key "$T/xa-sign.key" --category logistics \
    --quantity 1 --unit units | awk '/^sealed/ {print $2; exit}')
done
body() { # body KIND SCOPE: the body of a KIND written with a key of SCOPE
  local s=$2
  case $1 in
    member.add) echo "{\"member\":\"n-$s\",\"name\":\"n\",\"role\":\"member\",\"key\":\"$(b64)\"}" ;;
    key.add) echo "{\"member\":\"gb\",\"key\":\"$(pubkey "$T/minted-$s.key" gb)\",\"scope\":\"sign\"}" ;;
    key.revoke) echo "{\"member\":\"gb\",\"key\":\"${SPARE[$s]}\"}" ;;
    member.status) echo "{\"member\":\"w-$s\",\"status\":\"withdrawn\"}" ;;
    statement) echo "{\"text\":\"written with a $s key\"}" ;;
    sealed) echo "{\"commitment\":\"$(b64)\"}" ;;
    requirement.set) echo "{\"requirement\":\"r-$s\",\"category\":\"logistics\",\"quantity\":\"5\",\"unit\":\"units\",\"priority\":2}" ;;
    requirement.endorse) echo "{\"requirement\":\"e-$s\",\"set\":${SETIDX[$s]}}" ;;
    fact.record) echo "{\"fact\":\"f-$s\"}" ;;
    fact.retract) echo "{\"fact\":\"r-$s\"}" ;;
    clearing) echo "{\"inputs\":\"$(b64)\",\"result\":\"$(b64)\"}" ;;
    pressure.designation) echo "{\"subject\":\"s-$s\",\"type\":\"person\",\"names\":[{\"name\":\"Ivan Ivanov\",\"script\":\"Latn\"}],\"listed\":\"2022-03-15\",\"source\":{\"list\":\"gb\",\"file\":\"$(printf '%064d' 0)\"}}" ;;
    pressure.batch) echo "{\"list\":\"gb\",\"file\":\"$(printf '%064d' 0)\",\"part\":1,\"parts\":1,\"designations\":[{\"subject\":\"b-$s\",\"type\":\"person\",\"names\":[{\"name\":\"Petr Petrov\",\"script\":\"Latn\"}],\"listed\":\"2022-03-15\",\"source\":{\"list\":\"gb\",\"file\":\"$(printf '%064d' 0)\"}}]}" ;;
    pressure.decision) echo "{\"a\":{\"list\":\"gb\",\"subject\":\"s-sign\"},\"b\":{\"list\":\"gb\",\"subject\":\"s-console\"},\"same\":true,\"reason\":\"written with a $s key\"}" ;;
    pressure.snapshot) echo "{\"list\":\"l-$s\",\"file\":\"$(printf '%064d' 0)\",\"date\":\"2022-03-15\",\"base\":null,\"counts\":{\"subjects\":0,\"added\":0,\"amended\":0,\"delisted\":0}}" ;;
  esac
}
author() { # the member that writes KIND
  case $1 in
    member.add | member.status | sealed | pressure.snapshot) echo "$OP" ;;
    key.add | key.revoke | requirement.set | fact.record | fact.retract | clearing | pressure.designation | pressure.batch | pressure.decision) echo gb ;;
    requirement.endorse) echo ua ;;
    *) echo xa ;;
  esac
}
post_entry() { # post_entry PATH NOTE...: POSTs one entry, or a batch of them
  python3 -c '
import base64,json,sys
es=[base64.b64encode(open(f,"rb").read()).decode() for f in sys.argv[2:]]
print(json.dumps({"entries": es} if sys.argv[1]=="batch" else {"entry": es[0]}))' "$@" >"$T/req.json"
  rm -f "$T/body"
  status POST "/api/v1/entries$([ "$1" = batch ] && echo :batch)" \
    -H 'Content-Type: application/json' --data-binary @"$T/req.json"
}
verdict() { # verdict STATUS SCOPE: ok, key_scope (403 naming the scope) or what it was
  local st=$1 s=$2
  if [ "$st" = 200 ] || [ "$st" = 201 ]; then echo ok; return; fi
  [ -s "$T/body" ] || { echo "$st without an answer"; return; }
  python3 -c '
import json,sys
b=json.load(open(sys.argv[1]))
ok = sys.argv[2]=="403" and b["error"]=="key_scope" and ("scope %r" % sys.argv[3]) in b["message"]
print("key_scope" if ok else "%s %s" % (sys.argv[2], b))' "$T/body" "$st" "$s"
}

# entries, one at a time: every kind a key can write, with every scope
seq=1000000000000000
for k in member.add key.add key.revoke member.status statement sealed requirement.set \
  requirement.endorse fact.record fact.retract clearing pressure.designation pressure.batch \
  pressure.snapshot pressure.decision; do
  for s in $SCOPES; do
    a=$(author "$k"); seq=$((seq + 1)); rm -f "$T/e.note"
    "$W" append --origin "$ORIGIN" --output "$T/e.note" --key "$T/$a-$s.key" --kind "$k" \
      --body "$(body "$k" "$s")" --seq "$seq"
    got=$(verdict "$(post_entry one "$T/e.note")" "$s")
    check "$k with a $s key: $(want "$k" "$s") (got $got)" [ "$got" = "$(want "$k" "$s")" ]
  done
done
# the key a console key tried to mint does not sign; the key it tried to revoke still does
rm -f "$T/e.note"
"$W" append --origin "$ORIGIN" --output "$T/e.note" --key "$T/minted-console.key" --kind statement \
  --body '{"text":"minted"}'
check "a key a console key tried to add does not sign" [ "$(post_entry one "$T/e.note")" = 403 ]
rm -f "$T/e.note"
"$W" append --origin "$ORIGIN" --output "$T/e.note" --key "$T/spare-console.key" --kind statement \
  --body '{"text":"spare"}'
check "a key a console key tried to revoke still signs" [ "$(post_entry one "$T/e.note")" = 201 ]
out=$("$W" append --server "$URL" --key "$T/gb-console.key" --kind key.add \
  --body "{\"member\":\"gb\",\"key\":\"$(b64)\",\"scope\":\"sign\"}" 2>&1 || true)
check "willing append says why a console key cannot add a key" grep -q "scope 'console' may not sign 'key.add'" <<<"$out"

# a batch: one console-signed key.add refuses the whole batch
"$W" append --origin "$ORIGIN" --output "$T/b1.note" --key "$T/gb-console.key" --kind statement \
  --body '{"text":"in a batch"}'
"$W" append --origin "$ORIGIN" --output "$T/b2.note" --key "$T/gb-console.key" --kind key.add \
  --body "{\"member\":\"gb\",\"key\":\"$(b64)\",\"scope\":\"sign\"}"
got=$(verdict "$(post_entry batch "$T/b1.note" "$T/b2.note")" console)
check "a batch with a console-signed key.add: 403 key_scope" [ "$got" = key_scope ]
check "and nothing of it is stored" sh -c "! curl -s '$URL/api/v1/entries?kind=statement&limit=1000' | grep -q 'in a batch'"

# sealed content: the same rule when it is submitted
sealed() { # sealed KEY KIND BODY: ok or key_scope
  local out
  if out=$("$W" seal --server "$URL" --key "$1" --kind "$2" --body "$3" 2>&1); then echo ok
  elif grep -q "a key of scope '$4' may not sign '$2'" <<<"$out"; then echo key_scope
  else echo "$out"; fi
}
pubkey "$T/s0.key" s0 >/dev/null
"$W" member add --server "$URL" --key "$OPKEY" --sealed --id s0 --name "s0" --role member \
  --pubkey-file "$T/s0.key" >/dev/null
WP=$(head -c 16 /dev/urandom | xxd -p)
"$W" seal --server "$URL" --key "$T/xa-sign.key" --kind pledge \
  --body "{\"pledge\":\"$WP\",\"category\":\"logistics\",\"quantity\":\"1\",\"unit\":\"units\"}" >/dev/null
for s in $SCOPES; do
  got=$(sealed "$T/xa-$s.key" pledge.withdraw "{\"pledge\":\"$WP\"}" $s)
  check "sealed pledge.withdraw with a $s key: $(want pledge.withdraw $s) (got $got)" [ "$got" = "$(want pledge.withdraw $s)" ]
  got=$(sealed "$T/$OP-$s.key" member.add "{\"member\":\"sn-$s\",\"name\":\"n\",\"role\":\"member\",\"key\":\"$(b64)\"}" $s)
  check "sealed member.add with a $s key: $(want member.add $s) (got $got)" [ "$got" = "$(want member.add $s)" ]
  got=$(sealed "$T/$OP-$s.key" key.add "{\"member\":\"s0\",\"key\":\"$(b64)\",\"scope\":\"sign\"}" $s)
  check "sealed key.add with a $s key: $(want key.add $s) (got $got)" [ "$got" = "$(want key.add $s)" ]
  got=$(sealed "$T/$OP-$s.key" member.status '{"member":"s0","status":"willing"}' $s)
  check "sealed member.status with a $s key: $(want member.status $s) (got $got)" [ "$got" = "$(want member.status $s)" ]
  got=$(sealed "$T/xa-$s.key" pledge "{\"pledge\":\"$(head -c 16 /dev/urandom | xxd -p)\",\"category\":\"logistics\",\"quantity\":\"1\",\"unit\":\"units\"}" $s)
  check "sealed pledge with a $s key: $(want pledge $s) (got $got)" [ "$got" = "$(want pledge $s)" ]
done

# announcing: what is revealed must be the announcing key's to write
ADD=$("$W" seal --server "$URL" --key "$OPKEY" --kind member.add \
  --body "{\"member\":\"an\",\"name\":\"an\",\"role\":\"member\",\"key\":\"$(b64)\"}" | awk '/^sealed/ {print $2; exit}')
published() { "$W" pledge show --server "$URL" --key "$OPKEY" "$1" 2>/dev/null | grep -q '"envelope": [0-9]'; }
for _ in $(seq 1 100); do published "$ADD" && published "${PLEDGE[login]}" && break; sleep 0.1; done
for s in $SCOPES; do
  if out=$("$W" pledge announce --server "$URL" --key "$T/xa-$s.key" "${PLEDGE[$s]}" 2>&1); then got=ok
  elif grep -q "scope '$s' may not sign 'announce'" <<<"$out"; then got=key_scope; else got=$out; fi
  check "announce of a pledge with a $s key: $(want announce $s) (got $got)" [ "$got" = "$(want announce $s)" ]
done
for s in console login sign; do
  if out=$("$W" pledge announce --server "$URL" --key "$T/$OP-$s.key" "$ADD" 2>&1); then got=ok
  elif grep -q "scope '$s' may not sign '\(member.add\|announce\)'" <<<"$out"; then got=key_scope; else got=$out; fi
  check "announce of a sealed member.add with a $s key: $(want member.add $s) (got $got)" [ "$got" = "$(want member.add $s)" ]
done
# a sealed member announces itself only with a sign key
pk=$(pubkey "$T/s0-console.key" s0 console)
"$W" seal --server "$URL" --key "$OPKEY" --kind key.add \
  --body "{\"member\":\"s0\",\"key\":\"$pk\",\"scope\":\"console\"}" >/dev/null
out=$("$W" member announce --server "$URL" --key "$T/s0-console.key" 2>&1 || true)
check "a sealed member cannot announce itself with a console key" grep -q "scope 'console' may not sign 'member.add'" <<<"$out"
for _ in $(seq 1 100); do # once its sealed member.add and keys are published
  out=$("$W" member announce --server "$URL" --key "$T/s0.key" 2>&1) && break
  grep -q "announce after" <<<"$out" || break
  sleep 0.1
done
check "it can with its sign key" grep -q "^s0 announced" <<<"$out"
finish
