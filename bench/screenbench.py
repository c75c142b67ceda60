#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""screenbench: a CSV of 10,000 names screened through the daemon (issue 12: 10,000 names
against every list, over 50,000 name keys, in under 2 s).

A fresh ledger whose designations table holds 20,000 made-up subjects, written into the
table as pressure.designation's apply writes them (not through the log: signing 20,000
entries is the importer's benchmark, not this one's): two in five Russian names in
Cyrillic with a Latin alias (three keys each by the transliterations), the others Latin
"SURNAME, Given" names with an alias, a date of birth and, one in ten, an IMO number; each
a former name too: over 60,000 name keys.
Then POST /api/v1/pressure/screen with a CSV of 10,000 names (half listed names as another
list spells them: reordered, transliterated otherwise, some with the date of birth or the
IMO number; half names of no one), as JSON and as CSV. The first request builds the index
(cold); the others reuse it (warm, best of 3). Prints one JSON object for bench/run.sh.
Usage: bench/screenbench.py path/to/willing OUT_DIR
"""
import http.client
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time

import benchserve

W, OUT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]) + "/screen"
SUBJECTS, NAMES, RUNS = 20000, 10000, 3
shutil.rmtree(OUT, ignore_errors=True)
os.makedirs(OUT)
env = dict(os.environ, XDG_STATE_HOME=OUT + "/state")
rnd = random.Random(12)  # the same ledger and names every run

GIVEN = ["Юрий", "Иван", "Алексей", "Сергей", "Дмитрий", "Андрей", "Михаил", "Николай", "Олег",
         "Павел", "Виктор", "Игорь", "Евгений", "Владимир", "Роман", "Анна", "Ольга", "Наталья"]
STEMS = ["Щерба", "Кузнец", "Смирн", "Попов", "Соколь", "Лебед", "Козл", "Новик", "Морозь",
         "Волк", "Зайц", "Павл", "Семён", "Голуб", "Виноград", "Богдан", "Ворон", "Фёдор", "Жук",
         "Медвед", "Степан", "Никит", "Орл", "Андре", "Макар", "Тарас", "Шевч", "Ковал", "Бондар"]
ENDS = ["ов", "ев", "ин", "ский", "енко", "ук", "ич"]
SYL = ["ka", "ro", "mi", "sa", "tel", "an", "bar", "du", "lo", "ze", "fi", "nor", "gu", "vak",
       "hem", "ri", "po", "las", "ten", "qu", "mar", "el", "von", "ish"]
# a transliteration of another list's (ICAO 9303's table, enough for these names)
ICAO = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o",
                 "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "ie", "y", "", "e",
                 "iu", "ia"]))


def icao(s):
    out = []
    for ch in s:
        t = ICAO.get(ch.lower(), ch)
        out.append(t.capitalize() if ch.isupper() else t)
    return "".join(out)


def latin_word():
    return "".join(rnd.choice(SYL) for _ in range(rnd.randint(2, 4))).capitalize()


def subject(i):
    if i % 5 < 2:
        given, sur = rnd.choice(GIVEN), rnd.choice(STEMS) + rnd.choice(ENDS)
        names = [{"name": "%s %s" % (sur, given), "script": "Cyrl"},
                 {"name": "%s, %s" % (icao(sur).upper(), icao(given)), "script": "Latn",
                  "alias": "aka"}]
        names.append({"name": "%s %s" % (latin_word(), latin_word()), "script": "Latn",
                      "alias": "fka"})
        return {"names": names, "query": "%s %s" % (icao(given), icao(sur))}
    given, sur = latin_word(), latin_word()
    body = {"names": [{"name": "%s, %s" % (sur.upper(), given), "script": "Latn"},
                      {"name": "%s %s %s" % (given, latin_word(), sur), "script": "Latn",
                       "alias": "aka", "quality": "weak"},
                      {"name": "%s %s" % (latin_word(), latin_word()), "script": "Latn",
                       "alias": "fka"}],
            "dob": [{"date": "19%02d-%02d-%02d" % (rnd.randint(40, 99), rnd.randint(1, 12),
                                                   rnd.randint(1, 28))}],
            "query": "%s %s" % (given, sur)}
    if i % 10 == 5:
        body["ids"] = [{"type": "IMO", "value": "IMO %07d" % (9000000 + i)}]
    return body


db = OUT + "/screen.db"
subprocess.run([W, "init", "--db", db, "--origin", "bench.example/screen"], check=True,
               capture_output=True, env=env)
queries = []
con = sqlite3.connect(db)
rows = []
for i in range(SUBJECTS):
    s = subject(i)
    q = s.pop("query")
    typ = "vessel" if "ids" in s else "person"
    body = dict(subject="b%06d" % i, type=typ, listed="2022-03-15",
                source={"list": "bench", "file": "0" * 64}, **s)
    rows.append(("bench", "b%06d" % i, 1, 1, "operator", typ, "2022-03-15", None,
                 json.dumps(body, ensure_ascii=False, separators=(",", ":"))))
    if i < NAMES // 2:
        queries.append((q, s.get("dob", [{}])[0].get("date", "") if i % 3 == 0 else "",
                        s["ids"][0]["value"] if "ids" in s and i % 2 else ""))
con.executemany("INSERT INTO designations VALUES (?,?,?,?,?,?,?,?,?)", rows)
con.commit()
con.close()
while len(queries) < NAMES:  # names of no one
    queries.append(("%s %s" % (latin_word(), latin_word()), "", ""))
rnd.shuffle(queries)
csv = "name,dob,id\r\n" + "".join('"%s",%s,%s\r\n' % q for q in queries)
csv = csv.encode()

server, port = benchserve.start(W, db, OUT + "/serve.log", env)

def post(fmt):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    t0 = time.perf_counter()
    c.request("POST", "/api/v1/pressure/screen?format=" + fmt, body=csv,
              headers={"Content-Type": "text/csv"})
    r = c.getresponse()
    data = r.read()
    t = time.perf_counter() - t0
    if r.status != 200:
        raise SystemExit("screenbench: %d %s" % (r.status, data[:300]))
    return t, data


try:
    cold, data = post("json")
    o = json.loads(data)
    warm = min(post("json")[0] for _ in range(RUNS))
    warm_csv, text = min((post("csv") for _ in range(RUNS)), key=lambda x: x[0])
    found = sum(1 for x in o["results"] if x.get("candidates"))
    print(json.dumps({
        "names": o["rows"], "refused": o["refused"], "subjects": o["subjects_screened"],
        "name_keys": o["name_keys"], "names_with_candidates": found,
        "seconds_cold": round(cold, 3), "seconds": round(warm, 3),
        "seconds_csv": round(warm_csv, 3), "json_bytes": len(data), "csv_bytes": len(text),
        "request_bytes": len(csv)}))
finally:
    server.terminate()
    server.wait()
