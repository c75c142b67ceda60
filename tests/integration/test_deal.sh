#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The deal module against the real daemon (issue 10, part 2): a coordinator
# proposes a version naming Ukraine (the host) and a second party; each party
# signs that exact version; Ukraine signs last and the deal is in force at its
# entry, and a conditional pledge on fact(deal-in-force:ID) binds from that
# moment in /api/v1/coverage; suspended by a notice, the pledge no longer
# binds and the clearing's reason says the deal is not in force (suspended).
# Every refusal of the design, each a 4xx with a JSON error naming it and
# nothing stored (entries and the deal tables counted before and after);
# GET /api/v1/deals and /api/v1/deals/<id>; the CLI's show, list and notice;
# fsck replays it all to the same tables.
source "$(dirname "$0")/lib.sh"

new_ledger dl
SEAL=1 start_server dl --seal-batch 4
for m in co:coordinator ua:host ru:party uk:member ob:observer; do new_member "${m%%:*}" "${m##*:}"; done
DB=$(db_of dl)
TEXT=$(printf 'The draft agreement (test copy)\n' | sha256sum | cut -c1-64)
ANNEX=$(printf 'Annex 1: withdrawal lines (test copy)\n' | sha256sum | cut -c1-64)

state() { python3 -c 'import wldb,sys; d=wldb.connect(sys.argv[1]); print([d.execute(q).fetchone()[0] for q in sys.argv[2:]])' "$DB" \
  "SELECT count(*) FROM entries WHERE kind != 'sealed'" "SELECT count(*) FROM deals" \
  "SELECT count(*) FROM deal_versions" "SELECT count(*) FROM deal_parties WHERE signed_idx IS NOT NULL" \
  "SELECT count(*) FROM deal_notices" "SELECT count(*) FROM facts"; }

# posted MEMBER KIND BODY: the entry stored; its index on stdout
posted() {
  "$W" append --server "$URL" --key "$T/$1.key" --kind "$2" --body "$3" | awk '/^index/ {print $2}'
}

# refused MEMBER KIND BODY HTTP CODE TEXT DESC: answered HTTP {"error": CODE} naming TEXT, nothing stored
refused() { refused_entry "$@"; }

propose_body() { # DEAL VERSION PARTIES [EXTRA]
  echo "{\"deal\":\"$1\",\"version\":$2,\"title\":\"Draft agreement v$2\",\"text\":\"$TEXT\",\"annexes\":[{\"name\":\"Annex 1\",\"hash\":\"$ANNEX\"}],\"parties\":$3${4:-}}"
}
# hash_of DEAL VERSION: the version's hash as the server shows it
hash_of() { curl -fs "$URL/api/v1/deals/$1" | python3 -c "import json,sys; print([v['hash'] for v in json.load(sys.stdin)['versions'] if v['version']==$2][0])"; }
sign_body() { echo "{\"deal\":\"$1\",\"version\":$2,\"hash\":\"$3\"}"; }

# proposals: the refusals first, nothing stored
refused co deal.propose "$(propose_body peace 1 '["ru","uk"]')" 409 host_not_party "the host nation" \
  "a proposal without the host nation"
refused co deal.propose "$(propose_body peace 1 '["ua","nobody"]')" 409 unknown_party "'nobody'" \
  "a party that is not a member"
refused co deal.propose "$(propose_body peace 1 '["ua","ob"]')" 409 unknown_party "observer" \
  "a party of role observer"
refused co deal.propose "$(propose_body peace 2 '["ua","ru"]')" 409 stale_version "propose version 1" \
  "a first version numbered 2"
refused co deal.propose "$(propose_body peace 1 '["ua","ru"]' ',"zones":[1]')" 409 not_a_zone "entry 1" \
  "a zone index that is not a zone version"
refused co deal.propose "$(propose_body peace 1 '["ua","ua"]')" 400 invalid_body "repeats 'ua'" \
  "a party named twice"
refused uk deal.propose "$(propose_body peace 1 '["ua","ru"]')" 403 forbidden "deal.propose" \
  "a proposal by a member"
P1=$(posted co deal.propose "$(propose_body peace 1 '["ru","ua"]')")
check "the coordinator proposes version 1 (entry $P1)" [ -n "$P1" ]
H1=$(hash_of peace 1)
check "its hash is the SHA-256 of the proposal's body as signed" python3 -c "
import wldb,hashlib,sys
d=wldb.connect('$DB').execute('SELECT data FROM entries WHERE idx=$P1').fetchone()[0].decode()
body=d.split('\n')[6]
assert hashlib.sha256(body.encode()).hexdigest()=='$H1', (body, '$H1')"

# a pledge conditioned on the deal being in force: it does not bind yet
PL=$("$W" pledge add --server "$URL" --key "$T/uk.key" --category air_defence --quantity 5 \
  --unit systems --condition "fact(deal-in-force:peace)" | awk '/^sealed/ {print $2; exit}')
wait_envelope "$T/co.key" "$PL"
# coverage_says BINDING TEXT: uk's pledge binds (True/False); its reason holds TEXT
coverage_says() {
  "$W" coverage --server "$URL" --key "$T/co.key" --view coordinator --json 2>/dev/null |
    python3 -c "
import json,sys; o=json.load(sys.stdin)
p=[x for x in o['pledges'] if x['member']=='uk'][0]
assert p['binding']==$1, p
assert '$2' in (p.get('reason') or ''), p" 2>/dev/null
}
check "a pledge on fact(deal-in-force:peace) does not bind while the deal is proposed" \
  wait_for "the reason: not in force (proposed)" coverage_says False "the deal peace is not in force (proposed)"

# signatures
BAD=$(printf '%s' "$H1" | tr '0-9a-f' '1-9a-f0')
refused ru deal.sign "$(sign_body peace 1 "$BAD")" 409 unknown_version "no version 1 of deal peace has the hash" \
  "a signature over a hash no version has"
refused ru deal.sign "$(sign_body peace 2 "$H1")" 409 unknown_version "no version 2" \
  "a signature of a version that does not exist"
refused uk deal.sign "$(sign_body peace 1 "$H1")" 403 not_a_party "'uk' is not a party" \
  "a signature by a member who is not a party"
S1=$(posted ru deal.sign "$(sign_body peace 1 "$H1")")
check "the second party signs (entry $S1)" [ -n "$S1" ]
refused ru deal.sign "$(sign_body peace 1 "$H1")" 409 already_signed "signed version 1 of deal peace at entry $S1" \
  "a party signing twice"
check "still proposed: one party has not signed" sh -c "curl -fs '$URL/api/v1/deals/peace' | grep -q '\"status\":\"proposed\"'"
refused ru deal.notice '{"deal":"peace","notice":"suspend","text":"x"}' 409 bad_transition "is proposed" \
  "a notice before the deal is in force"

# Ukraine, the host, signs last: in force at its entry, and the pledge binds from then
S2=$(posted ua deal.sign "$(sign_body peace 1 "$H1")")
check "Ukraine signs last (entry $S2)" [ -n "$S2" ]
check "GET /api/v1/deals/peace: in force since Ukraine's entry, each party's signature and when" python3 -c "
import json,urllib.request
d=json.load(urllib.request.urlopen('$URL/api/v1/deals/peace'))
assert d['status']=='in_force' and d['in_force_since']['index']==$S2, d
v=d['versions'][0]
assert v['hash']=='$H1' and v['text']=='$TEXT' and v['annexes'][0]['hash']=='$ANNEX', v
s={p['member']:p['signed'] for p in v['parties']}
assert s['ru']['index']==$S1 and s['ua']['index']==$S2 and s['ua']['time'].endswith('Z'), s"
check "the pledge on fact(deal-in-force:peace) binds once Ukraine has signed, and its reason names the signature" \
  wait_for "uk's pledge binding" coverage_says True "binds: fact(deal-in-force:peace): the deal peace is in force since entry $S2: recorded by the last party"
check "GET /api/v1/deals lists it in force" sh -c "curl -fs '$URL/api/v1/deals' | python3 -c \"
import json,sys; d=json.load(sys.stdin)['deals'][0]
assert (d['deal'],d['status'],d['latest'],d['in_force_since']['index'])==('peace','in_force',1,$S2), d\""

# the fact is the deal's alone
refused co fact.record '{"fact":"deal-in-force:peace"}' 403 reserved_fact "recorded by the deal's own entries" \
  "a coordinator recording the deal's fact by hand"
refused co fact.retract '{"fact":"deal-in-force:peace"}' 403 reserved_fact "not by hand" \
  "  ... or retracting it"

# an amendment: the version in force stays until the new one is; a later one supersedes it at once
P2=$(posted co deal.propose "$(propose_body peace 2 '["ua","ru"]')")
H2=$(hash_of peace 2)
posted ua deal.sign "$(sign_body peace 2 "$H2")" >/dev/null
P3=$(posted co deal.propose "$(propose_body peace 3 '["ua","ru"]')")
check "version 3 proposed (entry $P3): version 1 still in force, version 2 superseded" python3 -c "
import json,urllib.request
d=json.load(urllib.request.urlopen('$URL/api/v1/deals/peace'))
st={v['version']:v['status'] for v in d['versions']}
assert st=={1:'in_force',2:'superseded',3:'proposed'} and d['status']=='in_force', (st, d['status'])"
refused ru deal.sign "$(sign_body peace 2 "$H2")" 409 superseded "superseded by version 3" \
  "a signature on a superseded version"
refused co deal.propose "$(propose_body peace 3 '["ua","ru"]')" 409 stale_version "propose version 4" \
  "a proposal of a version that exists"

# notices through the CLI: suspend, the pledge stops binding and says why; resume; terminate
out=$("$W" deal notice --server "$URL" --key "$T/uk.key" --deal peace suspend --text "x" 2>&1 || true)
check "willing deal notice by a non-party: refused, not_a_party" grep -q not_a_party <<<"$out"
check "willing deal notice suspend by the second party" sh -c "'$W' deal notice --server '$URL' --key '$T/ru.key' --deal peace suspend --text 'ceasefire violated' >/dev/null"
check "suspended: the pledge no longer binds, and the reason says the deal is not in force (suspended)" \
  wait_for "uk's pledge not binding" coverage_says False "the deal peace is not in force (suspended)"
refused ua deal.notice '{"deal":"peace","notice":"resume","text":"x"}' 403 not_the_suspender "only ru" \
  "a resume by a party that did not suspend"
refused ru deal.notice '{"deal":"peace","notice":"suspend","text":"x"}' 409 bad_transition "is suspended" \
  "a second suspension"
check "willing deal notice resume by the party that suspended" sh -c "'$W' deal notice --server '$URL' --key '$T/ru.key' --deal peace resume --text 'resumed' >/dev/null"
check "resumed: the pledge binds again" wait_for "uk's pledge binding" coverage_says True ""
check "willing deal notice terminate" sh -c "'$W' deal notice --server '$URL' --key '$T/ua.key' --deal peace terminate --text 'ended' >/dev/null"
check "terminated: the pledge no longer binds (terminated)" \
  wait_for "uk's pledge not binding" coverage_says False "the deal peace is not in force (terminated)"
refused co deal.propose "$(propose_body peace 4 '["ua","ru"]')" 409 terminated "takes no new version" \
  "a new version of a terminated deal"
refused ru deal.sign "$(sign_body peace 3 "$(hash_of peace 3)")" 409 terminated "terminated" \
  "a signature on a terminated deal"
refused ua deal.notice '{"deal":"peace","notice":"resume","text":"x"}' 409 bad_transition "is terminated" \
  "a notice after termination"

# reading
"$W" deal show --server "$URL" peace >"$T/show.txt"
check "willing deal show: status, versions and who signed" sh -c "grep -q '^deal peace: Draft agreement v3 (terminated)' '$T/show.txt' && grep -q '^  ua signed at entry $S2' '$T/show.txt'"
check "willing deal list" sh -c "'$W' deal list --server '$URL' | grep -q '^peace	terminated	version 3'"
check "GET /api/v1/deals/<unknown>: 404 unknown_deal" sh -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' '$URL/api/v1/deals/nothing')\" = 404 ]"
check "GET /api/v1/deals/<bad id>: 400" sh -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' '$URL/api/v1/deals/BAD%20ID')\" = 400 ]"
check "--help on every deal command" sh -c "for c in propose sign notice show list; do '$W' deal \$c --help | grep -q 'usage: willing deal' || exit 1; done"
# the CLI with the documents: propose uploads them as blobs, sign checks them before signing
printf 'The second draft (test copy)\n' >"$T/text2.txt"
printf 'Annex A: protected sites (test copy)\n' >"$T/annex2.txt"
out=$("$W" deal propose --server "$URL" --key "$T/co.key" --deal cli --title "Second draft" \
  --text "$T/text2.txt" --annex "Annex A=$T/annex2.txt" --party ru --party ua 2>&1)
HC=$(awk '/^deal cli version 1 hash/ {print $6}' <<<"$out")
check "willing deal propose uploads the documents and prints the version's hash" \
  [ -n "$HC" ] && [ "$HC" = "$(hash_of cli 1)" ]
T2=$(sha256sum "$T/text2.txt" | cut -c1-64)
check "  ... the text stored by its hash, readable by a party, not by a non-party" sh -c \
  "'$W' blob get --server '$URL' --key '$T/ru.key' $T2 -o '$T/got.txt' >/dev/null && cmp -s '$T/got.txt' '$T/text2.txt' && ! '$W' blob get --server '$URL' --key '$T/uk.key' $T2 -o '$T/no.txt' >/dev/null 2>&1"
check "willing deal sign: the documents checked, the version signed" sh -c \
  "'$W' deal sign --server '$URL' --key '$T/ru.key' --deal cli | grep -q '^signed deal cli version 1 hash $HC'"
MISSING=$(printf 'never uploaded' | sha256sum | cut -c1-64)
posted co deal.propose "{\"deal\":\"cli\",\"version\":2,\"title\":\"t\",\"text\":\"$MISSING\",\"parties\":[\"ua\"]}" >/dev/null
before=$(state)
"$W" deal sign --server "$URL" --key "$T/ua.key" --deal cli >/dev/null 2>"$T/sign.err" || true
after=$(state)
check "willing deal sign refuses a version whose text it cannot read, and signs nothing" sh -c \
  "grep -q 'not signed: the text $MISSING is missing or differs' '$T/sign.err' && [ '$before' = '$after' ]"
check "fsck replays the deal's entries to the same tables" sh -c "'$W' fsck --db '$DB' >/dev/null"
finish
