/* SPDX-License-Identifier: Apache-2.0 */
/*
 * willing verify's tree, kept as its right edge and the rightmost tile of each
 * level (memory bounded whatever the log's size), and the state file that
 * keeps it with the checkpoint verified last, so that a later audit goes on
 * from there (docs/internals/cli.md, "verify", docs/FORMAT.md "verify state").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "verify_int.h"
#include "willing/merkle.h"

#define VSTATE_FORMAT "willing-verify-state/1"

unsigned vtree_push(vtree *t, const uint8_t leaf[32])
{
    uint8_t h[32];
    uint64_t i = t->n;
    unsigned k = 0, done = 0;

    memcpy(h, leaf, 32);
    for (;;) {
        if (k % 8 == 0) {
            memcpy(t->tile[k / 8] + (i % 256) * 32, h, 32);
            if (i % 256 == 255)
                done |= 1u << (k / 8);
        }
        if ((i & 1) == 0)
            break;
        wl_merkle_node_hash(t->edge[k], h, h);
        i >>= 1;
        k++;
    }
    memcpy(t->edge[k], h, 32);
    t->n++;
    return done;
}

void vtree_root(const vtree *t, uint8_t out[32])
{
    int first = 1;
    if (t->n == 0) {
        wl_merkle_empty_root(out);
        return;
    }
    for (unsigned k = 0; k < 64; k++) {
        if (((t->n >> k) & 1) == 0)
            continue;
        if (first)
            memcpy(out, t->edge[k], 32);
        else
            wl_merkle_node_hash(t->edge[k], out, out);
        first = 0;
    }
}

void vcp_name(const wl_checkpoint *cp, char *out, size_t cap)
{
    char b64[48];
    wl_b64_encode(cp->root, 32, b64);
    snprintf(out, cap, "%s, size %llu, root %s", cp->origin, (unsigned long long)cp->size, b64);
}

void vstate_free(vstate *st)
{
    if (st == NULL)
        return;
    free(st->note);
    free(st->tree);
    memset(st, 0, sizeof *st);
}

/* hex of exactly n bytes into out */
static int unhex(json_t *v, uint8_t *out, size_t n)
{
    const char *s = json_string_value(v);
    return s != NULL && strlen(s) == 2 * n && wl_hex_decode(s, 2 * n, out, n) == WL_OK;
}

static int load_tree(json_t *o, vstate *st)
{
    json_t *edge = json_object_get(o, "edge"), *tiles = json_object_get(o, "tiles");
    uint64_t n = st->cp.size;
    size_t e = 0;
    uint8_t root[32];

    if (!json_is_array(edge) || !json_is_array(tiles) || json_array_size(tiles) != 8)
        return -1;
    if ((st->tree = calloc(1, sizeof *st->tree)) == NULL)
        return -1;
    st->tree->n = n;
    for (unsigned k = 0; k < 64; k++)
        if (((n >> k) & 1) && !unhex(json_array_get(edge, e++), st->tree->edge[k], 32))
            return -1;
    if (e != json_array_size(edge))
        return -1;
    for (unsigned l = 0; l < 8; l++) {
        size_t w = (size_t)((n >> (8 * l)) % 256);
        const char *hex = json_string_value(json_array_get(tiles, l));
        if (w > 0 ? !unhex(json_array_get(tiles, l), st->tree->tile[l], 32 * w)
                  : hex == NULL || hex[0] != '\0')
            return -1;
    }
    vtree_root(st->tree, root);
    return memcmp(root, st->cp.root, 32) == 0 ? 0 : -1;
}

int vstate_load(const char *path, const wl_vkey *vkey, vstate *st, char *msg, size_t cap)
{
    size_t len = 0;
    char *buf = cli_read_file(path, WL_CLI_VERIFY_STATE_MAX, &len);
    json_t *o = NULL;
    wl_note note;
    uint8_t ok = 0;
    int ret = -1;

    memset(st, 0, sizeof *st);
    if (buf == NULL) {
        if (errno == ENOENT)
            return 1;
        snprintf(msg, cap, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    /* a file of before this format is the signed note alone */
    if (len > 0 && buf[0] == '{') {
        const char *cpn, *fmt;
        json_int_t rs;
        o = json_loadb(buf, len, 0, NULL);
        cpn = json_string_value(json_object_get(o, "checkpoint"));
        rs = json_integer_value(json_object_get(o, "replay_size"));
        fmt = json_string_value(json_object_get(o, "format"));
        if (cpn == NULL || rs < 0 || fmt == NULL || strcmp(fmt, VSTATE_FORMAT) != 0) {
            snprintf(msg, cap, "%s is not a verify state file (%s)", path, VSTATE_FORMAT);
            goto out;
        }
        st->note = strdup(cpn);
        st->note_len = st->note ? strlen(st->note) : 0;
        st->replay_size = (uint64_t)rs;
        st->has_tree = true;
    } else {
        st->note = buf;
        st->note_len = len;
        buf = NULL;
    }
    if (st->note == NULL || wl_note_parse(st->note, st->note_len, &note) != WL_OK ||
        wl_checkpoint_parse(note.text, note.text_len, &st->cp) != WL_OK) {
        snprintf(msg, cap, "%s does not hold a checkpoint", path);
        goto out;
    }
    if (strcmp(st->cp.origin, vkey->name) != 0 ||
        wl_note_verify(&note, vkey, 1, &ok, NULL) != WL_OK || !ok) {
        char a[200];
        vcp_name(&st->cp, a, sizeof a);
        snprintf(msg, cap,
                 "%s holds a checkpoint (%s) that is not signed by this log's key %s: the state "
                 "of another log",
                 path, a, vkey->name);
        goto out;
    }
    if (st->has_tree && load_tree(o, st) != 0) {
        snprintf(msg, cap, "%s is damaged: its tree does not hash to its checkpoint's root", path);
        goto out;
    }
    ret = 0;
out:
    if (ret != 0)
        vstate_free(st);
    json_decref(o);
    free(buf);
    return ret;
}

static json_t *hexs(const uint8_t *in, size_t n)
{
    char *s = malloc(2 * n + 1);
    json_t *v;
    if (s == NULL)
        return NULL;
    wl_hex_encode(in, n, s);
    v = json_string(s);
    free(s);
    return v;
}

int vstate_save(const char *path, const char *note, size_t len, const vtree *t,
                uint64_t replay_size)
{
    json_t *o = json_object(), *edge = json_array(), *tiles = json_array();
    char tmp[2300], *text = NULL;
    FILE *f = NULL;
    int ret = -1;

    if (o == NULL || edge == NULL || tiles == NULL)
        goto out;
    for (unsigned k = 0; k < 64; k++)
        if ((t->n >> k) & 1)
            json_array_append_new(edge, hexs(t->edge[k], 32));
    for (unsigned l = 0; l < 8; l++)
        json_array_append_new(tiles, hexs(t->tile[l], 32 * (size_t)((t->n >> (8 * l)) % 256)));
    json_object_set_new(o, "format", json_string(VSTATE_FORMAT));
    json_object_set_new(o, "checkpoint", json_stringn(note, len));
    json_object_set_new(o, "edge", edge);
    json_object_set_new(o, "tiles", tiles);
    json_object_set_new(o, "replay_size", json_integer((json_int_t)replay_size));
    edge = tiles = NULL;
    text = json_dumps(o, JSON_INDENT(1));
    /* a cut name could be another file, which the rename would then replace */
    if (text == NULL || wl_fmt(tmp, sizeof tmp, "%s.tmp", path) != WL_OK) {
        errno = ENAMETOOLONG;
        goto out;
    }
    /* public data: readable by all, written by its owner only */
    f = fopen(tmp, "wb");
    if (f == NULL || fchmod(fileno(f), 0644) != 0 || fputs(text, f) == EOF ||
        fputc('\n', f) == EOF) {
        int e = errno;
        if (f) {
            fclose(f);
            unlink(tmp);
        }
        errno = e;
        goto out;
    }
    if (fclose(f) != 0 || rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        errno = e;
        goto out;
    }
    ret = 0;
out:
    free(text);
    json_decref(edge);
    json_decref(tiles);
    json_decref(o);
    return ret;
}
