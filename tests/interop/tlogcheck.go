// SPDX-License-Identifier: Apache-2.0
//
// tlogcheck verifies a running willing log with the Go checksum database's
// own packages (golang.org/x/mod/sumdb/note and sumdb/tlog, from Debian):
// the checkpoint's signature, an entry's own note signature, and inclusion
// and consistency proofs built from the log's tiles and checked end to end
// against the signed roots with CheckRecord and CheckTree (TileHashReader is
// not trusted to authenticate tiles).
//
// usage: tlogcheck URL LOG_VKEY MEMBER_VKEY INDEX OLD_CHECKPOINT_FILE
package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func get(url string) []byte {
	resp, err := http.Get(url)
	if err != nil {
		fail("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		fail("GET %s: %d %v", url, resp.StatusCode, err)
	}
	return b
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "tlogcheck: FAIL: "+format+"\n", args...)
	os.Exit(1)
}

type checkpoint struct {
	origin string
	size   int64
	root   tlog.Hash
}

func openCheckpoint(msg []byte, v note.Verifier) checkpoint {
	n, err := note.Open(msg, note.VerifierList(v))
	if err != nil {
		fail("checkpoint signature: %v", err)
	}
	lines := strings.Split(n.Text, "\n")
	if len(lines) < 4 {
		fail("checkpoint text too short")
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		fail("checkpoint size: %v", err)
	}
	raw, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(raw) != tlog.HashSize {
		fail("checkpoint root: %v", err)
	}
	var h tlog.Hash
	copy(h[:], raw)
	return checkpoint{lines[0], size, h}
}

func main() {
	if len(os.Args) != 6 {
		fmt.Fprintln(os.Stderr, "usage: tlogcheck URL LOG_VKEY MEMBER_VKEY INDEX OLD_CHECKPOINT_FILE")
		os.Exit(2)
	}
	base := strings.TrimRight(os.Args[1], "/")
	logV, err := note.NewVerifier(os.Args[2])
	if err != nil {
		fail("log vkey: %v", err)
	}
	memberV, err := note.NewVerifier(os.Args[3])
	if err != nil {
		fail("member vkey: %v", err)
	}
	index, _ := strconv.ParseInt(os.Args[4], 10, 64)
	oldMsg, err := os.ReadFile(os.Args[5])
	if err != nil {
		fail("%v", err)
	}

	cp := openCheckpoint(get(base+"/log/checkpoint"), logV)
	old := openCheckpoint(oldMsg, logV)
	fmt.Printf("ok checkpoint signature: %s size %d\n", cp.origin, cp.size)

	// tiles as served, under the tlog package's own path encoding
	cache := map[string][]byte{}
	hr := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		for i, ix := range indexes {
			t := tlog.TileForIndex(8, ix)
			avail := cp.size >> (8 * uint(t.L))
			w := avail - t.N*256
			if w > 256 {
				w = 256
			}
			if w < int64(t.W) {
				return nil, fmt.Errorf("hash %d not in the tree", ix)
			}
			t.W = int(w)
			path := strings.Replace(t.Path(), "tile/8/", "tile/", 1)
			data, ok := cache[path]
			if !ok {
				data = get(base + "/log/" + path)
				cache[path] = data
			}
			h, err := tlog.HashFromTile(t, data, ix)
			if err != nil {
				return nil, err
			}
			out[i] = h
		}
		return out, nil
	})

	th, err := tlog.TreeHash(cp.size, hr)
	if err != nil || th != cp.root {
		fail("tree hash from tiles %v != checkpoint root (%v)", th, err)
	}
	fmt.Println("ok root recomputed from tiles")

	// the entry: its own note signature, and its inclusion proof
	var e struct {
		Entry string `json:"entry"`
	}
	if err := json.Unmarshal(get(fmt.Sprintf("%s/api/v1/entries/%d", base, index)), &e); err != nil {
		fail("entry JSON: %v", err)
	}
	raw, err := base64.StdEncoding.DecodeString(e.Entry)
	if err != nil {
		fail("entry base64: %v", err)
	}
	if _, err := note.Open(raw, note.VerifierList(memberV)); err != nil {
		fail("entry signature: %v", err)
	}
	fmt.Println("ok entry note signature by", memberV.Name())
	leaf := tlog.RecordHash(raw)
	rp, err := tlog.ProveRecord(cp.size, index, hr)
	if err != nil {
		fail("ProveRecord: %v", err)
	}
	if err := tlog.CheckRecord(rp, cp.size, cp.root, index, leaf); err != nil {
		fail("CheckRecord: %v", err)
	}
	fmt.Println("ok inclusion of entry", index)
	bad := cp.root
	bad[0] ^= 1
	if tlog.CheckRecord(rp, cp.size, bad, index, leaf) == nil {
		fail("CheckRecord accepted a wrong root")
	}

	// consistency with the older checkpoint
	tp, err := tlog.ProveTree(cp.size, old.size, hr)
	if err != nil {
		fail("ProveTree: %v", err)
	}
	if err := tlog.CheckTree(tp, cp.size, cp.root, old.size, old.root); err != nil {
		fail("CheckTree: %v", err)
	}
	fmt.Printf("ok consistency %d -> %d\n", old.size, cp.size)

	// the same proofs from the API must agree with the tiles
	var ip struct {
		Proof []string `json:"proof"`
	}
	if err := json.Unmarshal(get(fmt.Sprintf("%s/api/v1/proof/inclusion?index=%d&size=%d", base, index, cp.size)), &ip); err != nil {
		fail("inclusion JSON: %v", err)
	}
	if len(ip.Proof) != len(rp) {
		fail("API inclusion proof has %d hashes, tlog %d", len(ip.Proof), len(rp))
	}
	for i := range rp {
		if ip.Proof[i] != base64.StdEncoding.EncodeToString(rp[i][:]) {
			fail("API inclusion proof differs at %d", i)
		}
	}
	fmt.Println("ok API inclusion proof equals tlog's")
}
