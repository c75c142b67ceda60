/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Names folded into keys (include/willing/names.h): ICU folds any script to
 * lower-case ASCII words, Cyrillic is transliterated three ways first (ICU's
 * Russian-Latin/BGN and Ukrainian-Latin/BGN, and ICAO Doc 9303 from its
 * table, written here), the words are sorted so that "SURNAME, Given" and
 * "Given SURNAME" give one key, and each word is loosened for a second,
 * looser key. The design: docs/internals/pressure.md, "Names".
 */
#include <stdlib.h>
#include <string.h>

#include <unicode/ustring.h>

#include "pressure/names_int.h"

/* Decodes one code point of s at *i (advancing it); -1 on bad UTF-8. */
static int u8next(const unsigned char *s, size_t len, size_t *i, uint32_t *cp)
{
    unsigned char c = s[*i];
    unsigned need;
    uint32_t v, min;
    if (c < 0x80) {
        *cp = c;
        (*i)++;
        return 0;
    }
    if (c >= 0xC2 && c <= 0xDF)
        need = 1, v = c & 0x1F, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF)
        need = 2, v = c & 0x0F, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
        need = 3, v = c & 0x07, min = 0x10000;
    else
        return -1;
    if (*i + need >= len)
        return -1;
    for (unsigned k = 1; k <= need; k++) {
        unsigned char d = s[*i + k];
        if ((d & 0xC0) != 0x80)
            return -1;
        v = (v << 6) | (d & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return -1;
    *cp = v;
    *i += need + 1;
    return 0;
}

/* ICAO Doc 9303 Part 3, the Cyrillic table: А..Я (U+0410..U+042F), a..я the same. */
static const char *const icao_basic[32] = {
    "a", "b", "v", "g", "d", "e",  "zh", "z",  "i",  "i",    "k",  "l", "m", "n", "o",  "p",
    "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "ie", "y", "",  "e", "iu", "ia",
};

/* The table's letter for cp (lower case), or NULL if cp is not a Cyrillic letter of it. */
static const char *icao_letter(uint32_t cp, int *upper)
{
    *upper = 0;
    if (cp >= 0x410 && cp <= 0x42F) {
        *upper = 1;
        return icao_basic[cp - 0x410];
    }
    if (cp >= 0x430 && cp <= 0x44F)
        return icao_basic[cp - 0x430];
    static const struct {
        uint32_t upper, lower;
        const char *latin;
    } more[] = {{0x401, 0x451, "e"},  /* Ё */
                {0x404, 0x454, "ie"}, /* Є */
                {0x406, 0x456, "i"},  /* І */
                {0x407, 0x457, "i"},  /* Ї */
                {0x490, 0x491, "g"},  /* Ґ */
                {0x40E, 0x45E, "u"}}; /* Ў */
    for (size_t i = 0; i < sizeof more / sizeof more[0]; i++)
        if (cp == more[i].upper || cp == more[i].lower) {
            *upper = cp == more[i].upper;
            return more[i].latin;
        }
    return NULL;
}

static int is_upper(uint32_t cp)
{
    int up = 0;
    if (cp >= 'A' && cp <= 'Z')
        return 1;
    return icao_letter(cp, &up) != NULL && up;
}

static int is_lower(uint32_t cp)
{
    int up = 0;
    if (cp >= 'a' && cp <= 'z')
        return 1;
    return icao_letter(cp, &up) != NULL && !up;
}

wl_rc wl_names_icao(const char *in, size_t len, char *out, size_t cap)
{
    const unsigned char *s = (const unsigned char *)in;
    size_t i = 0, o = 0;
    uint32_t prev = 0;
    if (cap == 0)
        return WL_ERR_TOO_LARGE;
    out[0] = '\0';
    while (i < len) {
        size_t start = i, j;
        uint32_t cp, next = 0;
        int upper;
        if (u8next(s, len, &i, &cp) != 0) {
            out[0] = '\0';
            return WL_ERR_INVALID;
        }
        const char *t = icao_letter(cp, &upper);
        size_t tl = t ? strlen(t) : i - start;
        if (o + tl + 1 > cap) {
            out[0] = '\0';
            return WL_ERR_TOO_LARGE;
        }
        if (!t) {
            memcpy(out + o, in + start, tl);
        } else {
            j = i;
            if (j < len && u8next(s, len, &j, &next) != 0)
                next = 0;
            /* a capital in a word in capitals gives capitals; otherwise only its first letter */
            int caps = upper && (is_upper(next) || (is_upper(prev) && !is_lower(next)));
            for (size_t k = 0; k < tl; k++) {
                char c = t[k];
                out[o + k] = (char)(upper && (caps || k == 0) ? c - 'a' + 'A' : c);
            }
        }
        o += tl;
        prev = cp;
    }
    out[o] = '\0';
    return WL_OK;
}

/* Folded text into words: letters and digits lower-cased, apostrophes dropped, anything else a
 * break. */
static size_t ascii_words(const char *s, size_t len, char *out, size_t cap, unsigned *words)
{
    size_t o = 0;
    int in_word = 0;
    *words = 0;
    for (size_t i = 0; i < len && o + 2 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (!in_word && o > 0)
                out[o++] = ' ';
            if (!in_word)
                (*words)++;
            out[o++] = (char)c;
            in_word = 1;
        } else if (c != '\'' && c != '"' && c != '`') {
            in_word = 0;
        }
    }
    out[o] = '\0';
    return o;
}

/*
 * s through `first` (NULL: none), then ICU's folding when anything not ASCII
 * is left, into ASCII words in out.
 */
static wl_rc fold(wl_names *n, UTransliterator *first, const char *s, size_t len, char *out,
                  size_t cap, unsigned *words, wl_error *err)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t ulen = 0, lim;
    int ascii = 1;
    for (size_t i = 0; i < len && ascii; i++)
        ascii = (unsigned char)s[i] < 0x80;
    if (ascii && !first) {
        ascii_words(s, len, out, cap, words);
        return WL_OK;
    }
    UChar ub[WL_NAME_KEY_BYTES];
    char ob[WL_NAME_KEY_BYTES * 2];
    u_strFromUTF8(ub, (int32_t)(sizeof ub / sizeof ub[0]), &ulen, s, (int32_t)len, &st);
    if (U_FAILURE(st))
        return wl_error_set(err, WL_ERR_INVALID, "name_invalid", "the name is not UTF-8");
    UTransliterator *steps[2] = {first, n->fold};
    for (int k = 0; k < 2; k++) {
        if (!steps[k])
            continue;
        if (k == 1) {
            int left = 0;
            for (int32_t i = 0; i < ulen && !left; i++)
                left = ub[i] >= 0x80;
            if (!left)
                break;
        }
        lim = ulen;
        utrans_transUChars(steps[k], ub, &ulen, (int32_t)(sizeof ub / sizeof ub[0]), 0, &lim, &st);
        if (st == U_BUFFER_OVERFLOW_ERROR || st == U_STRING_NOT_TERMINATED_WARNING)
            return wl_error_set(err, WL_ERR_TOO_LARGE, "name_too_long",
                                "the name, transliterated, is over %u characters",
                                WL_NAME_KEY_BYTES);
        if (U_FAILURE(st))
            return wl_error_set(err, WL_ERR_INTERNAL, "icu", "ICU: %s", u_errorName(st));
    }
    int32_t olen = 0;
    u_strToUTF8(ob, (int32_t)sizeof ob, &olen, ub, ulen, &st);
    if (U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING)
        return wl_error_set(err, WL_ERR_TOO_LARGE, "name_too_long",
                            "the name, transliterated, is over %zu bytes", sizeof ob);
    ascii_words(ob, (size_t)olen, out, cap, words);
    return WL_OK;
}

static const struct {
    const char *from, *to;
} loose_rules[] = {
    {"shch", "sch"}, {"szcz", "sch"}, {"tsch", "ch"}, {"dzh", "j"}, {"kh", "h"}, {"ph", "f"},
    {"ck", "k"},     {"dj", "j"},     {"w", "v"},     {"x", "ks"},  {"y", "i"},
};

void wl_names_loose(const char *word, size_t len, char *out, size_t cap)
{
    size_t o = 0;
    if (cap == 0)
        return;
    for (size_t i = 0; i < len;) {
        const char *to = NULL;
        size_t fl = 1;
        for (size_t r = 0; r < sizeof loose_rules / sizeof loose_rules[0]; r++) {
            size_t l = strlen(loose_rules[r].from);
            if (l <= len - i && memcmp(word + i, loose_rules[r].from, l) == 0) {
                to = loose_rules[r].to, fl = l;
                break;
            }
        }
        const char *emit = to ? to : word + i;
        size_t el = to ? strlen(to) : 1;
        for (size_t k = 0; k < el && o + 1 < cap; k++)
            if (o == 0 || out[o - 1] != emit[k]) /* doubled letters once */
                out[o++] = emit[k];
        i += fl;
    }
    out[o] = '\0';
}

static int by_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The words of folded (space-separated) sorted into exact, and loosened and sorted into loose. */
static void make_key(char *folded, unsigned words, wl_name_key *k)
{
    const char *w[WL_NAME_TOKENS_MAX];
    char lbuf[WL_NAME_KEY_BYTES * 2];
    const char *lw[WL_NAME_TOKENS_MAX];
    unsigned nw = 0;
    size_t lo = 0;
    for (char *p = folded; *p && nw < words;) {
        w[nw++] = p;
        char *sp = strchr(p, ' ');
        if (!sp)
            break;
        *sp = '\0';
        p = sp + 1;
    }
    for (unsigned i = 0; i < nw; i++) {
        lw[i] = lbuf + lo;
        wl_names_loose(w[i], strlen(w[i]), lbuf + lo, sizeof lbuf - lo);
        lo += strlen(lbuf + lo) + 1;
    }
    qsort(w, nw, sizeof w[0], by_str);
    qsort(lw, nw, sizeof lw[0], by_str);
    size_t e = 0, l = 0;
    for (unsigned i = 0; i < nw; i++) {
        size_t a = strlen(w[i]), b = strlen(lw[i]);
        if (e + a + 2 <= sizeof k->exact) {
            if (e)
                k->exact[e++] = ' ';
            memcpy(k->exact + e, w[i], a), e += a;
        }
        if (l + b + 2 <= sizeof k->loose) {
            if (l)
                k->loose[l++] = ' ';
            memcpy(k->loose + l, lw[i], b), l += b;
        }
    }
    k->exact[e] = k->loose[l] = '\0';
    k->words = nw;
}

/*
 * The characters a name may not hold though they are not controls: they draw
 * nothing or reorder what is drawn, so a name could show unlike its letters
 * ("Ivanov" written backwards behind U+202E) or two names look alike and
 * differ. The bidirectional marks, embeddings, overrides and isolates
 * (U+061C, U+200E-U+200F, U+202A-U+202E, U+2066-U+2069), zero-width space
 * U+200B, the soft hyphen U+00AD, the word joiner and invisible operators
 * (U+2060-U+2064), the deprecated format characters (U+206A-U+206F), the byte
 * order mark U+FEFF, the line and paragraph separators (U+2028-U+2029), the
 * interlinear annotation marks (U+FFF9-U+FFFB) and the tags (U+E0000-U+E007F).
 * Kept: the zero-width non-joiner and joiner (U+200C, U+200D), part of the
 * spelling of Persian, Urdu and Indic names; they change only how the letters
 * either side join, and the keys drop them (wl_names_open's folding).
 */
static int invisible(uint32_t cp)
{
    return cp == 0xAD || cp == 0x61C || cp == 0x200B || cp == 0x200E || cp == 0x200F ||
           (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2064) ||
           (cp >= 0x2066 && cp <= 0x206F) || cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB) ||
           (cp >= 0xE0000 && cp <= 0xE007F);
}

wl_rc wl_names_check(const char *name, size_t len, int *cyrillic, wl_error *err)
{
    const unsigned char *s = (const unsigned char *)name;
    int cyr = 0;
    if (len > WL_NAME_MAX_BYTES)
        return wl_error_set(err, WL_ERR_TOO_LARGE, "name_too_long",
                            "a name is at most %u bytes; this one is %zu", WL_NAME_MAX_BYTES, len);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        if (u8next(s, len, &i, &cp) != 0)
            return wl_error_set(err, WL_ERR_INVALID, "name_invalid",
                                "the name is not UTF-8 (byte %zu)", i);
        if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
            return wl_error_set(err, WL_ERR_INVALID, "name_invalid",
                                "the name holds a control character (U+%04X)", (unsigned)cp);
        if (invisible(cp))
            return wl_error_set(err, WL_ERR_INVALID, "name_invalid",
                                "the name holds U+%04X, a bidirectional control or invisible "
                                "character: it would show the name unlike its letters",
                                (unsigned)cp);
        if (cp >= 0x400 && cp <= 0x4FF)
            cyr = 1;
    }
    if (cyrillic)
        *cyrillic = cyr;
    return WL_OK;
}

wl_rc wl_names_keys(wl_names *n, const char *name, size_t len, wl_name_keys *out, wl_error *err)
{
    char folded[WL_NAME_KEY_BYTES];
    char icao[WL_NAME_MAX_BYTES * 4 + 1];
    int cyrillic = 0;
    wl_rc rc = WL_OK;
    memset(out, 0, sizeof *out);
    if ((rc = wl_names_check(name, len, &cyrillic, err)) != WL_OK)
        return rc;
    static const unsigned schemes[] = {WL_NAME_BGN_RU, WL_NAME_BGN_UK, WL_NAME_ICAO};
    unsigned nschemes = cyrillic ? 3 : 1;
    for (unsigned v = 0; v < nschemes; v++) {
        unsigned words = 0, scheme = cyrillic ? schemes[v] : WL_NAME_AS_WRITTEN;
        if (scheme == WL_NAME_ICAO) {
            if (wl_names_icao(name, len, icao, sizeof icao) != WL_OK) {
                rc = wl_error_set(err, WL_ERR_INVALID, "name_invalid", "the name is not UTF-8");
                goto out;
            }
            rc = fold(n, NULL, icao, strlen(icao), folded, sizeof folded, &words, err);
        } else {
            UTransliterator *t = scheme == WL_NAME_BGN_RU   ? n->ru
                                 : scheme == WL_NAME_BGN_UK ? n->uk
                                                            : NULL;
            rc = fold(n, t, name, len, folded, sizeof folded, &words, err);
        }
        if (rc != WL_OK)
            goto out;
        if (words == 0) {
            rc = wl_error_set(err, WL_ERR_INVALID, "name_empty", "the name has no letter or digit");
            goto out;
        }
        if (words > WL_NAME_TOKENS_MAX) {
            rc = wl_error_set(err, WL_ERR_TOO_LARGE, "name_too_long",
                              "a name is at most %u words; this one is %u", WL_NAME_TOKENS_MAX,
                              words);
            goto out;
        }
        wl_name_key *k = &out->key[out->count];
        make_key(folded, words, k);
        k->schemes = scheme;
        unsigned same = 0;
        for (; same < out->count; same++)
            if (strcmp(out->key[same].exact, k->exact) == 0)
                break;
        if (same < out->count)
            out->key[same].schemes |= scheme;
        else
            out->count++;
    }
out:
    if (rc != WL_OK)
        memset(out, 0, sizeof *out);
    return rc;
}

/* Appends s[0..len) to out at *o with runs of spaces made one, none leading. */
static int put_trimmed(const char *s, size_t len, char *out, size_t cap, size_t *o)
{
    for (size_t i = 0; i < len; i++) {
        char c = s[i] == '\t' ? ' ' : s[i];
        if (c == ' ' && (*o == 0 || out[*o - 1] == ' '))
            continue;
        if (*o + 1 >= cap)
            return -1;
        out[(*o)++] = c;
    }
    return 0;
}

wl_rc wl_names_reorder(const char *name, size_t len, char *out, size_t cap)
{
    const char *comma = memchr(name, ',', len);
    size_t o = 0;
    int bad = 0;
    if (cap == 0)
        return WL_ERR_TOO_LARGE;
    if (comma && !memchr(comma + 1, ',', len - (size_t)(comma + 1 - name))) {
        size_t before = (size_t)(comma - name), after = len - before - 1;
        size_t mark;
        bad |= put_trimmed(comma + 1, after, out, cap, &o);
        mark = o;
        if (o > 0 && out[o - 1] != ' ' && o + 1 < cap)
            out[o++] = ' ';
        bad |= put_trimmed(name, before, out, cap, &o);
        if (mark == 0 || o == mark + 1) { /* one side empty: as written */
            o = 0;
            bad = put_trimmed(name, len, out, cap, &o);
        }
    } else {
        bad = put_trimmed(name, len, out, cap, &o);
    }
    while (o > 0 && out[o - 1] == ' ')
        o--;
    out[o] = '\0';
    if (bad) {
        out[0] = '\0';
        return WL_ERR_TOO_LARGE;
    }
    return WL_OK;
}

void wl_names_schemes_text(unsigned schemes, char *out, size_t cap)
{
    static const struct {
        unsigned bit;
        const char *text;
    } t[] = {{WL_NAME_AS_WRITTEN, "as written"},
             {WL_NAME_BGN_RU, "Russian-Latin/BGN"},
             {WL_NAME_BGN_UK, "Ukrainian-Latin/BGN"},
             {WL_NAME_ICAO, "ICAO 9303"}};
    size_t o = 0;
    if (cap == 0)
        return;
    out[0] = '\0';
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        if (!(schemes & t[i].bit))
            continue;
        size_t l = strlen(t[i].text);
        if (o + l + 3 > cap)
            break;
        if (o)
            memcpy(out + o, ", ", 2), o += 2;
        memcpy(out + o, t[i].text, l), o += l;
        out[o] = '\0';
    }
}

static UTransliterator *open_one(const char *id, UErrorCode *st)
{
    UChar uid[160];
    u_uastrncpy(uid, id, (int32_t)(sizeof uid / sizeof uid[0]));
    return utrans_openU(uid, -1, UTRANS_FORWARD, NULL, 0, NULL, st);
}

wl_rc wl_names_open(wl_names **out, wl_error *err)
{
    UErrorCode st = U_ZERO_ERROR;
    wl_names *n = wl_calloc(1, sizeof *n);
    *out = NULL;
    if (!n)
        return wl_error_set(err, WL_ERR_NOMEM, "nomem", "out of memory");
    n->ru = open_one("Russian-Latin/BGN", &st);
    n->uk = open_one("Ukrainian-Latin/BGN", &st);
    /*
     * Compatibility forms made plain (NFKC: U+337F, a ligature, full-width letters, Arabic
     * presentation forms) before any script goes to Latin, which knows only the plain ones;
     * the zero-width non-joiner and joiner off (NFKC first: a set at the head of the chain
     * would filter the whole of it); any script to Latin; primes, middle dots and curly
     * apostrophes off; accents off; ASCII.
     */
    n->fold = open_one("NFKC; [\\u200C\\u200D] Remove; Any-Latin; "
                       "[\\u00B7\\u02B9\\u02BA\\u2018\\u2019\\u201C\\u201D] Remove; "
                       "NFKD; [:Nonspacing Mark:] Remove; Latin-ASCII; Lower",
                       &st);
    if (U_FAILURE(st)) {
        wl_names_close(n);
        return wl_error_set(err, WL_ERR_INTERNAL, "icu", "ICU's transliterators: %s",
                            u_errorName(st));
    }
    *out = n;
    return WL_OK;
}

void wl_names_close(wl_names *n)
{
    if (!n)
        return;
    if (n->ru)
        utrans_close(n->ru);
    if (n->uk)
        utrans_close(n->uk);
    if (n->fold)
        utrans_close(n->fold);
    wl_free(n->kstamp);
    wl_free(n->khits);
    wl_free(n->touched);
    wl_free(n->sstamp);
    wl_free(n->sslot);
    wl_free(n->cands);
    wl_free(n);
}
