#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Writes a static copy of the log at URL (its checkpoint, entry bundles and tiles, under
# OUT/log/) with the signature of entry K altered by one bit (K=-1: none), every tile and
# the root recomputed from the entries, and the checkpoint signed again with the log's key
# (openssl): a log whose tree and checkpoint are sound and whose entry K does not verify.
# Serve OUT with any static web server. Used by test_verify.sh.
#   forge_log.py URL LOGKEY OUT K
import base64, hashlib, os, subprocess, sys, tempfile, urllib.request

url, logkey, out, k = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])


def get(p):
    return urllib.request.urlopen(url + "/log/" + p).read()


def enc(n):
    parts = ["%03d" % (n % 1000)]
    n //= 1000
    while n:
        parts.insert(0, "x%03d" % (n % 1000))
        n //= 1000
    return "/".join(parts)


def tpath(level, n, w):
    return "tile/%s/%s%s" % (level, enc(n), "" if w == 256 else ".p/%d" % w)


def put(p, data):
    f = os.path.join(out, "log", p)
    os.makedirs(os.path.dirname(f), exist_ok=True)
    with open(f, "wb") as fh:
        fh.write(data)


cp = get("checkpoint").decode()
text, sigs = cp.split("\n\n", 1)
origin, size = text.split("\n")[0], int(text.split("\n")[1])
entries = []
for b in range((size + 255) // 256):
    w = min(256, size - 256 * b)
    raw, off = get(tpath("entries", b, w)), 0
    while off < len(raw):
        n = raw[off] << 8 | raw[off + 1]
        entries.append(raw[off + 2:off + 2 + n])
        off += 2 + n
if k >= 0:
    lines = entries[k].split(b"\n")
    sl = lines[-2]  # "— author base64(keyid || sig)"
    head, b64 = sl.rsplit(b" ", 1)
    sig = bytearray(base64.b64decode(b64))
    sig[10] ^= 1
    lines[-2] = head + b" " + base64.b64encode(bytes(sig))
    entries[k] = b"\n".join(lines)
for b in range((size + 255) // 256):
    chunk = entries[256 * b:256 * b + 256]
    put(tpath("entries", b, len(chunk)), b"".join(len(e).to_bytes(2, "big") + e for e in chunk))

h = lambda d: hashlib.sha256(d).digest()
level = [h(b"\x00" + e) for e in entries]
for lv in range(64):
    if lv % 8 == 0 and level:
        for t in range((len(level) + 255) // 256):
            part = level[256 * t:256 * t + 256]
            put(tpath(lv // 8, t, len(part)), b"".join(part))
    if len(level) < 2:
        break
    level = [h(b"\x01" + level[2 * i] + level[2 * i + 1]) for i in range(len(level) // 2)]


def mth(ls):
    if len(ls) == 1:
        return ls[0]
    s = 1
    while s * 2 < len(ls):
        s *= 2
    return h(b"\x01" + mth(ls[:s]) + mth(ls[s:]))


root = mth([h(b"\x00" + e) for e in entries])
body = "%s\n%d\n%s\n" % (origin, size, base64.b64encode(root).decode())
keyid = next(base64.b64decode(l.split(" ")[2])[:4] for l in sigs.splitlines()
             if l.startswith("\u2014 " + origin + " "))
with tempfile.TemporaryDirectory() as d:
    pem = os.path.join(d, "k.pem")
    with open(logkey) as f, open(pem, "w") as o:
        o.write("".join(l for l in f if l.startswith("-----") or ":" not in l))
    with open(os.path.join(d, "m"), "w") as o:
        o.write(body)
    sig = subprocess.run(["openssl", "pkeyutl", "-sign", "-inkey", pem, "-rawin", "-in",
                          os.path.join(d, "m")], check=True, capture_output=True).stdout
put("checkpoint", (body + "\n\u2014 " + origin + " " +
                   base64.b64encode(keyid + sig).decode() + "\n").encode())
print(size)
