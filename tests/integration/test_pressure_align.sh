#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The pressure module's analyst decisions and alignment (issue 12, points 3
# and 4). Three members designate overlapping subjects at different dates: a
# vessel by its IMO number under two names, a person in Cyrillic by one and in
# Latin by another, namesakes whose dates of birth disagree, and an entity two
# lists name differently. The coordinator's decisions join and keep apart
# (a later decision on a pair overriding the earlier). Refused with nothing
# stored: a decision on a pair that does not exist, on a designation and
# itself, without a reason, by a member. fsck replays it all.
source "$(dirname "$0")/lib.sh"

new_ledger pa
start_server pa
DB=$T/pa.db
cp "$OPKEY" "$T/operator.key"
new_member gb member
new_member us member
new_member de member
new_member co coordinator

count() { python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$DB" "$1"; }
state() { echo "$(count 'SELECT count(*) FROM entries') $(count 'SELECT count(*) FROM pressure_decisions')"; }
post_as() { "$W" append --server "$URL" --key "$T/$1.key" --kind "$2" --body "$3" >/dev/null; }
H=$(printf 'list' | sha256sum | cut -d' ' -f1)
desig() { # LIST SUBJECT TYPE NAME SCRIPT LISTED [EXTRA]
  printf '{"subject":"%s","type":"%s","names":[{"name":"%s","script":"%s"}]%s,"listed":"%s","source":{"list":"%s","file":"%s"}}' \
    "$2" "$3" "$4" "$5" "${7:-}" "$6" "$1" "$H"
}
decision() { # LIST:SUBJECT LIST:SUBJECT SAME REASON
  printf '{"a":{"list":"%s","subject":"%s"},"b":{"list":"%s","subject":"%s"},"same":%s,"reason":"%s"}' \
    "${1%%:*}" "${1#*:}" "${2%%:*}" "${2#*:}" "$3" "$4"
}

check "gb designates a tanker by its IMO number (2022-03-01)" post_as gb pressure.designation \
  "$(desig gb g1 vessel 'Sovcomflot Tanker Alpha' Latn 2022-03-01 ',"ids":[{"type":"IMO","value":"9610781"}]')"
check "... us the same tanker under another name, forty days later" post_as us pressure.designation \
  "$(desig us u1 vessel 'SCF ALPHA' Latn 2022-04-10 ',"ids":[{"type":"imo","value":"IMO 9610781"}]')"
check "gb designates Щербаков Сергей Иванович in Cyrillic (2022-02-24)" post_as gb pressure.designation \
  "$(desig gb g2 person 'Щербаков Сергей Иванович' Cyrl 2022-02-24 ',"dob":[{"date":"1961-05"}]')"
check "... us SHCHERBAKOV, Sergei Ivanovich in Latin, thirty days later" post_as us pressure.designation \
  "$(desig us u2 person 'SHCHERBAKOV, Sergei Ivanovich' Latn 2022-03-26 ',"dob":[{"date":"1961-05-14"}]')"
check "... de a namesake born in 1961 too" post_as de pressure.designation \
  "$(desig de d2 person 'SHCHERBAKOV, Sergey Ivanovich' Latn 2022-04-01 ',"dob":[{"date":"1961"}]')"
check "... and the operator OFAC's (reference data)" post_as operator pressure.designation \
  "$(desig ofac-sdn 36120 person 'SHCHERBAKOV, Sergei Ivanovich' Latn 2022-02-24)"
check "gb and us each an Ivan Petrov, born ten years apart" sh -c "
  '$W' append --server '$URL' --key '$T/gb.key' --kind pressure.designation --body '$(desig gb g3 person 'Ivan Petrov' Latn 2022-05-01 ',"dob":[{"date":"1970"}]')' >/dev/null &&
  '$W' append --server '$URL' --key '$T/us.key' --kind pressure.designation --body '$(desig us u3 person 'PETROV, Ivan' Latn 2022-05-01 ',"dob":[{"date":"1980"}]')' >/dev/null"
check "de designates Alpha Trading LLC (2022-06-01), gb Alfa Trading (2022-07-01)" sh -c "
  '$W' append --server '$URL' --key '$T/de.key' --kind pressure.designation --body '$(desig de d1 entity 'Alpha Trading LLC' Latn 2022-06-01)' >/dev/null &&
  '$W' append --server '$URL' --key '$T/gb.key' --kind pressure.designation --body '$(desig gb g4 entity 'Alfa Trading' Latn 2022-07-01)' >/dev/null"

# decisions: refusals first, each with nothing stored
refused_entry co pressure.decision "$(decision gb:g4 de:nothere true 'one registry number')" 404 \
  unknown_designation "a pair that does not exist" "a decision on a designation not stored"
refused_entry co pressure.decision "$(decision nolist:g4 de:d1 true 'one registry number')" 404 \
  unknown_designation "nolist:g4" "... of a list not stored"
refused_entry co pressure.decision "$(decision gb:g4 gb:g4 true 'itself')" 400 invalid_body \
  "the same designation" "a decision on a designation and itself"
refused_entry co pressure.decision "$(decision gb:g4 de:d1 true '')" 400 invalid_body \
  "'reason' is needed" "a decision without a reason"
refused_entry co pressure.decision '{"a":{"list":"gb","subject":"g4"},"b":{"list":"de","subject":"d1"},"same":true}' 400 invalid_body \
  "'reason' is needed" "... or with none at all"
refused_entry co pressure.decision "$(decision gb:g4 de:d1 true "$(python3 -c "print('x' * 2001)")")" 400 invalid_body \
  "'reason' is needed" "... or of 2,001 bytes"
refused_entry gb pressure.decision "$(decision gb:g4 de:d1 true 'one registry number')" 403 forbidden \
  "" "a decision by a member"

check "the coordinator decides de:d1 and gb:g4 are different" post_as co pressure.decision \
  "$(decision de:d1 gb:g4 false 'no evidence yet')"
check "... then the same (a later decision on the pair, written the other way round)" post_as co pressure.decision \
  "$(decision gb:g4 de:d1 true 'one registry number in both notices')"
check "the operator decides de:d2 is not us:u2" post_as operator pressure.decision \
  "$(decision de:d2 us:u2 false 'another patronymic in the source notice')"
check "... two decisions stored, the later one on the pair kept, in canonical order" python3 -c "
import sqlite3; r=sqlite3.connect('$DB').execute('SELECT a_list, a_subject, b_list, b_subject, same, reason, author FROM pressure_decisions ORDER BY 1,2').fetchall()
assert r == [('de','d1','gb','g4',1,'one registry number in both notices','co'), ('de','d2','us','u2',0,'another patronymic in the source notice','operator')], r"

#@ALIGN@

kill "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
check "fsck replays the log into the same designations and decisions" "$W" fsck --db "$DB"
finish
