#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The CLI as a newcomer meets it (issue 14, point 21; issue 8, point 4): every
# subcommand's --help is its own (each group's, each command's) and willing
# --help lists the commands by group; a pledge's two ids are named apart and
# either is taken where it is unambiguous; a condition naming an unknown
# category is refused, by the CLI and by the server (400 naming it);
# not_announced says what to run; times in messages are ISO 8601 UTC; init's
# --log-key and --operator-key.
source "$(dirname "$0")/lib.sh"

new_ledger cli
# a long interval: nothing sealed is published during the test
SEAL=3600 start_server cli --seal-batch 2
"$W" keygen --out "$T/xa.key" --member xa >/dev/null
"$W" member add --server "$URL" --key "$OPKEY" --id xa --name xa --role member \
  --pubkey-file "$T/xa.key" >/dev/null

# --help: the subcommand's own usage
own_usage() { # own_usage "GROUP SUB": --help shows that usage, no other of the group
  local out
  out=$("$W" $1 --help)
  grep -q "^usage: willing $1 " <<<"$out" && [ "$(grep -c "willing ${1%% *} " <<<"$out")" = 1 ]
}
for c in "pledge withdraw" "pledge show" "member announce" "requirement endorse"; do
  check "willing $c --help: its own usage only" own_usage "$c"
done
check "willing pledge --help: the whole group" sh -c "'$W' pledge --help | grep -q 'willing pledge announce' && '$W' pledge --help | grep -q 'willing pledge add'"

# every subcommand of every group (as its group's usage lists them): --help exits 0 and
# prints that subcommand's usage, naming no other subcommand of the group
subs_of() { "$W" "$1" --help | sed -n "s/^\(usage:\)\{0,1\} *willing $1 \([a-z]*\) .*/\2/p"; }
only_itself() { # only_itself GROUP SUB
  local out s
  out=$("$W" "$1" "$2" --help) || return 1
  [[ "$(head -1 <<<"$out")" == "usage: willing $1 $2 "* ]] || return 1
  for s in $(subs_of "$1"); do
    if [ "$s" != "$2" ] && grep -Eq "willing $1 $s( |$)" <<<"$out"; then return 1; fi
  done
}
for g in member pledge requirement fact; do
  subs=$(subs_of "$g")
  check "willing $g --help lists its subcommands ($(echo $subs))" test "$(wc -w <<<"$subs")" -ge 2
  for s in $subs; do
    check "willing $g $s --help: exit 0, its own usage only" only_itself "$g" "$s"
  done
done
# willing --help: each group's heading once (issue 11 review: "the deal:" was printed thrice)
check "willing --help: every group heading once" sh -c "'$W' --help | grep ':\$' | sort | uniq -d | grep -q . && exit 1; '$W' --help | grep -qx 'the deal:' && '$W' --help | grep -qx 'monitoring:'"
# the flows' groups and each of their subcommands: --help exits 0, prints no "(null)" (a
# group without notes) and ends its last line (the shell prompt not glued to it)
whole_help() { # whole_help ARGS...: --help's output is whole
  local out
  out=$("$W" "$@" --help && echo x) || return 1
  ! grep -q '(null)' <<<"$out" && [[ "$out" == *$'\nx' ]]
}
for g in flow flows instrument rate reference; do
  check "willing $g --help: whole" whole_help "$g"
  for s in $("$W" "$g" --help | sed -n "s/^\(usage:\)\{0,1\} *willing $g \([a-z-]*\) .*/\2/p"); do
    check "willing $g $s --help: whole" whole_help "$g" "$s"
  done
done
own_help() { # own_help CMD: --help exits 0 with CMD's usage first
  local out
  out=$("$W" "$1" --help) && [[ "$(head -1 <<<"$out")" == "usage: willing $1 "* ]]
}
for c in init append seal get prove checkpoint verify fsck mirror fetch keygen whoami coverage clear; do
  check "willing $c --help: exit 0, its own usage" own_help "$c"
done
out=$("$W" --help)
for g in "the ledger" identity "the coalition"; do
  check "willing --help lists the group '$g'" grep -q "^$g:$" <<<"$out"
done

# the two ids of a pledge
out=$("$W" pledge add --server "$URL" --key "$T/xa.key" --category logistics --quantity 3 --unit units)
SID=$(awk '/^sealed/ {print $2; exit}' <<<"$out")
PID=$(awk '/^pledge/ {print $2; exit}' <<<"$out")
check "add prints both ids, each on its own line" sh -c "[ \${#1} = 64 ] && [ \${#2} = 32 ]" _ "$SID" "$PID"
check "  ... and says which commands take which" grep -q "^(two ids: pledge show and announce take the sealed id, pledge amend and withdraw the pledge id)$" <<<"$out"
check "add says when it is published, in ISO 8601 UTC" grep -Eq "^published with the batch of [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$" <<<"$out"
check "show takes the sealed id" sh -c "'$W' pledge show --server '$URL' --key '$T/xa.key' $SID | grep -q '\"content\"'"
check "show takes the pledge id too (sealed from here)" sh -c "'$W' pledge show --server '$URL' --key '$T/xa.key' $PID | grep -q '\"content\"'"
out=$("$W" pledge show --server "$URL" --key "$T/xa.key" 0123456789abcdef0123456789abcdef 2>&1 || true)
check "an unknown pledge id: says which id show wants" grep -q "show wants the sealed id (64 hex digits" <<<"$out"
out=$("$W" pledge show --server "$URL" --key "$T/xa.key" xyz 2>&1 || true)
check "neither id: says how long each is" grep -q "a sealed id has 64 hex digits, a pledge id 32" <<<"$out"
out=$("$W" pledge announce --server "$URL" --key "$T/xa.key" "$PID" 2>&1 || true)
check "announce takes the pledge id; not published yet, said in ISO 8601 UTC" \
  grep -Eq "$SID is not published yet; its batch closes at [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$" <<<"$out"
out=$("$W" pledge withdraw --server "$URL" --key "$T/xa.key" "$SID")
check "withdraw takes the sealed id too (sealed from here)" grep -q "^sealed " <<<"$out"
"$W" pledge list --server "$URL" --key "$T/xa.key" --json >"$T/list.json"
check "  ... and withdraws the pledge it names (by its pledge id)" python3 -c '
import json,sys
l=json.load(open(sys.argv[1]))
assert any(x["kind"]=="pledge.withdraw" and x["body"]["pledge"]==sys.argv[2] for x in l), l' "$T/list.json" "$PID"

# a condition naming an unknown category: refused by the CLI, and by the server
out=$("$W" pledge add --server "$URL" --key "$T/xa.key" --category logistics --quantity 1 --unit units \
  --condition "at_least(2, tanks)" 2>&1 || true)
check "the CLI refuses a condition naming an unknown category, naming it" grep -q "unknown category 'tanks'" <<<"$out"
out=$("$W" seal --server "$URL" --key "$T/xa.key" --kind pledge --body \
  '{"pledge":"00112233445566778899aabbccddeeff","category":"logistics","quantity":"1","unit":"units","condition":{"at_least":{"n":2,"category":"tanks"}}}' 2>&1 || true)
check "sealed directly, the server refuses it too" grep -q "unknown category 'tanks'" <<<"$out"
kept=$(ls -t "$XDG_STATE_HOME"/willing/sealed/*.json | head -1) # kept before it was sent
python3 -c 'import json,sys; k=json.load(open(sys.argv[1])); print(json.dumps({"salt":k["salt"],"content":k["content"]}))' "$kept" >"$T/req.json"
st=$(status POST /api/v1/sealed -H 'Content-Type: application/json' --data-binary @"$T/req.json")
check "the API answers 400 invalid_pledge naming the category" \
  sh -c "[ '$st' = 400 ] && grep -q invalid_pledge '$T/body' && grep -q \"unknown category 'tanks'\" '$T/body'"
out=$("$W" seal --server "$URL" --key "$T/xa.key" --kind pledge --body \
  '{"pledge":"00112233445566778899aabbccddeef0","category":"logistics","quantity":"1","unit":"units","condition":{"total":{"category":"tanks","unit":"units","min":"3"}}}' 2>&1 || true)
check "total() of an unknown category too" grep -q "unknown category 'tanks'" <<<"$out"

# append with the origin given (no checkpoint fetched) still posts to --server
out=$("$W" append --server "$URL" --origin test.example/cli --key "$T/xa.key" --kind statement \
  --body '{"text":"origin given"}' 2>&1 || true)
check "append --origin NAME --server URL posts the entry there" grep -q '^index [0-9]' <<<"$out"

# not_announced says what to run; the batch's time is ISO 8601 UTC
"$W" keygen --out "$T/sx.key" --member sx >/dev/null
"$W" member add --server "$URL" --key "$OPKEY" --sealed --id sx --name sx --role member \
  --pubkey-file "$T/sx.key" >/dev/null
out=$("$W" append --server "$URL" --key "$T/sx.key" --kind statement --body '{"text":"hello"}' 2>&1 || true)
check "403 not_announced says to run willing member announce" grep -q 'not_announced.*`willing member announce`' <<<"$out"
out=$("$W" member announce --server "$URL" --key "$T/sx.key" 2>&1 || true)
check "member announce before its batch: the time in ISO 8601 UTC" \
  grep -Eq "published with the batch of [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z: announce after that" <<<"$out"

# init's keys where --log-key and --operator-key say (a database server's URL names no
# directory to put them beside), and a URL without them refused
mkdir -p "$T/k"
"$W" init --db "$(db_of named)" --origin test.example/named --log-key "$T/k/log" \
  --operator-key "$T/k/op" >"$T/named.out"
check "init --log-key FILE --operator-key FILE: the keys there, 0600, none beside the database" \
  sh -c "[ \$(stat -c %a '$T/k/log') = 600 ] && [ \$(stat -c %a '$T/k/op') = 600 ] &&
         [ ! -e '$T/named.db.log.key' ] && [ ! -e '$T/named.db.operator.key' ] &&
         grep -q 'log key:      $T/k/log' '$T/named.out' && grep -q 'operator key: $T/k/op' '$T/named.out'"
# two commands of one member in the same microsecond (a script running them in parallel): the
# second's seq is taken, so the CLI signs it again with a later one (WL_TEST_CLI_SEQ: the seq
# its first try takes); nothing is lost and the entry is stored once
"$W" append --server "$URL" --key "$OPKEY" --kind statement --seq 4242 \
  --body '{"text":"seq 4242"}' >/dev/null
"$W" keygen --out "$T/xb.key" --member xb >/dev/null
rc=0
WL_TEST_CLI_SEQ=4242 "$W" member add --server "$URL" --key "$OPKEY" --id xb --name xb \
  --role member --pubkey-file "$T/xb.key" >"$T/xb.out" 2>"$T/xb.err" || rc=$?
check "a command whose seq another entry took is signed again and stored (exit $rc: $(cat "$T/xb.err"))" \
  [ "$rc" = 0 ]
xb_seq() {
  curl -fs "$URL/api/v1/entries/$(awk '/^index/ {print $2}' "$T/xb.out")" |
    python3 -c 'import json,sys; e=json.load(sys.stdin); print(e["seq"], e["kind"])'
}
check "  ... with a later seq ($(xb_seq))" sh -c "[ \"\$1\" -gt 4242 ] && [ \"\$2\" = member.add ]" _ $(xb_seq)
rc=0
"$W" init --db postgres://willing@127.0.0.1:1/none --origin test.example/u 2>"$T/url.err" || rc=$?
check "init --db URL without them: refused (2), naming both options" \
  sh -c "[ $rc = 2 ] && grep -q -- '--log-key and --operator-key' '$T/url.err'"
finish
