/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The cache of whole view answers (viewcache.h): WL_VIEWCACHE_SLOTS slots, each
 * a key, the register's generation it was built at and the answer's text.
 * A hit copies the text into the response under the lock (libmicrohttpd's
 * MUST_COPY), so a slot replaced meanwhile is never read half freed. A slot
 * built at an older generation is a miss: the handler builds the view again
 * from a snapshot taken after it read the generation, so what is kept is never
 * older than the generation it is kept under. docs/internals/daemon.md.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "viewcache.h"
#include "willing/limits.h"

typedef struct {
    char key[WL_VIEWCACHE_KEY_MAX];
    uint64_t gen;
    char *text; /* jansson's allocation */
    size_t len;
} slot;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static slot slots[WL_VIEWCACHE_SLOTS];
static size_t turn; /* the slot given up next when every slot holds another key */

void wl_viewcache_key_at_checkpoint(char key[WL_VIEWCACHE_KEY_MAX], const char *what,
                                    const char *id)
{
    uint64_t size;
    pthread_mutex_lock(&wl_srv->mu);
    size = wl_srv->cp_size;
    pthread_mutex_unlock(&wl_srv->mu);
    /* 8 + 1 + 64 + 1 + 20 digits fit in WL_VIEWCACHE_KEY_MAX */
    (void)snprintf(key, WL_VIEWCACHE_KEY_MAX, "%.8s:%.64s@%llu", what, id,
                   (unsigned long long)size);
}

/* Under mu: the slot of key, else NULL. */
static slot *find(const char *key)
{
    for (size_t i = 0; i < WL_VIEWCACHE_SLOTS; i++)
        if (strcmp(slots[i].key, key) == 0)
            return &slots[i];
    return NULL;
}

/* The zones lists (two keys, about 200 ms to build over 1,000 zones) are never given up. */
static bool pinned(const char *key)
{
    return strncmp(key, "zones.", 6) == 0;
}

/*
 * Under mu: the slot to keep key's answer in: its own, an empty one, or the next in turn
 * that is not a zones list (unless key is one), so that reading many deals in turn never
 * pushes the zones lists out.
 */
static slot *place(const char *key)
{
    slot *sl = find(key);
    for (size_t i = 0; sl == NULL && i < WL_VIEWCACHE_SLOTS; i++)
        if (slots[i].key[0] == '\0')
            sl = &slots[i];
    for (size_t i = 0; sl == NULL && i < WL_VIEWCACHE_SLOTS; i++) {
        slot *next = &slots[turn];
        turn = (turn + 1) % WL_VIEWCACHE_SLOTS;
        if (!pinned(next->key) || pinned(key)) {
            sl = next;
            free(sl->text); /* jansson's */
            sl->text = NULL;
        }
    }
    return sl;
}

bool wl_viewcache_hit(struct MHD_Connection *c, const char *key, uint64_t *gen,
                      enum MHD_Result *ret)
{
    slot *sl;
    bool hit = false;
    *gen = wl_register_gen();
    pthread_mutex_lock(&mu);
    sl = find(key);
    if (sl && sl->text && sl->gen == *gen) {
        *ret = wl_respond_bytes(c, MHD_HTTP_OK, "application/json", sl->text, sl->len, "no-store");
        hit = true;
    }
    pthread_mutex_unlock(&mu);
    return hit;
}

enum MHD_Result wl_viewcache_answer(struct MHD_Connection *c, const char *key, uint64_t gen,
                                    json_t *body)
{
    char *text = json_dumps(body, JSON_COMPACT);
    size_t len = text ? strlen(text) : 0;
    enum MHD_Result ret;
    slot *sl;
    json_decref(body);
    if (text == NULL)
        return MHD_NO;
    ret = wl_respond_bytes(c, MHD_HTTP_OK, "application/json", text, len, "no-store");
    pthread_mutex_lock(&mu);
    sl = strlen(key) < sizeof sl->key && len <= WL_VIEWCACHE_MAX ? place(key) : NULL;
    if (sl && (sl->text == NULL || sl->gen <= gen)) { /* never an older build over a newer */
        free(sl->text);                               /* jansson's */
        memcpy(sl->key, key, strlen(key) + 1);
        sl->gen = gen;
        sl->text = text;
        sl->len = len;
        text = NULL;
    }
    pthread_mutex_unlock(&mu);
    free(text); /* jansson's, when not kept */
    return ret;
}
