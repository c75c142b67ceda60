/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wl_sanctions_read (include/willing/sanctions.h): a list file refused unread when
 * over WL_SANCTIONS_FILE_MAX, not UTF-8 or declaring a DOCTYPE (include/willing/xml.h),
 * else streamed by libxml2's xmlReader: a DOCTYPE or an entity reference met refused,
 * the root checked and its date taken, each record's element expanded alone, checked
 * for entity references, given to its format (sanctions_un.c, _eu.c, _uk.c) and freed
 * once read; a subject given twice refused; every refusal collected.
 * docs/internals/pressure.md, "The official lists' XML".
 */
#include <libxml/xmlreader.h>
#include <stdio.h>
#include <string.h>

#include "sanctions_int.h"
#include "willing/crypto.h"
#include "willing/xml.h"

static const char *const list_ids[] = {"un-sc", "eu-fsf", "uk-fcdo"};

const char *wl_sanctions_list_id(wl_sanctions_format f)
{
    return list_ids[f];
}

int wl_sanctions_format_parse(const char *name, wl_sanctions_format *out)
{
    static const char *const short_names[] = {"un", "eu", "uk"};
    for (int i = 0; i < 3; i++)
        if (strcmp(name, short_names[i]) == 0 || strcmp(name, list_ids[i]) == 0) {
            *out = (wl_sanctions_format)i;
            return 0;
        }
    return -1;
}

/* libxml2's first error, never printed */
typedef struct {
    long line;
    char why[200];
} first_error;

static void on_error(void *ctx, xmlErrorPtr e)
{
    first_error *f = ctx;
    size_t n;
    if (e == NULL || e->level == XML_ERR_WARNING || f->why[0])
        return;
    f->line = e->line;
    snprintf(f->why, sizeof f->why, "%s", e->message ? e->message : "XML error");
    n = strlen(f->why);
    while (n > 0 && (f->why[n - 1] == '\n' || f->why[n - 1] == ' '))
        f->why[--n] = '\0';
}

static int is_record(const sx_format *f, const char *name)
{
    for (const char *const *r = f->records; *r; r++)
        if (strcmp(*r, name) == 0)
            return 1;
    return 0;
}

/* The root: its name, and the file's date from its attribute. */
static wl_rc root(const sx_format *f, xmlTextReaderPtr r, wl_sanctions_list *l, wl_error *err)
{
    const char *name = (const char *)xmlTextReaderConstLocalName(r);
    if (name == NULL || strcmp(name, f->root) != 0)
        return wl_error_set(err, WL_ERR_INVALID, "not_this_list",
                            "%s has the root element <%s>: <%s> expected", f->what,
                            name ? name : "?", f->root);
    if (f->date_attr) {
        xmlChar *v = xmlTextReaderGetAttribute(r, (const xmlChar *)f->date_attr);
        if (v && sx_ymd((const char *)v, l->generated) != 0)
            l->generated[0] = '\0';
        xmlFree(v);
    }
    return WL_OK;
}

/* Every subject once: a second record of a subject is refused. */
static wl_rc once(wl_sanctions_list *l, wl_error *err)
{
    json_t *seen = json_object();
    wl_rc rc = WL_OK;
    if (seen == NULL)
        return wl_error_set(err, WL_ERR_NOMEM, "nomem", "out of memory");
    for (size_t i = 0; i < json_array_size(l->bodies) && rc == WL_OK; i++) {
        const char *s = json_string_value(json_object_get(json_array_get(l->bodies, i), "subject"));
        const json_t *first = json_object_get(seen, s);
        if (first) {
            if (l->n_rejects < WL_SANCTIONS_REJECTS_MAX) {
                wl_sanctions_reject *x = &l->rejects[l->n_rejects];
                snprintf(x->record, sizeof x->record, "subject %s", s);
                x->line = l->lines[i];
                snprintf(x->why, sizeof x->why, "the subject %s twice (first at line %lld)", s,
                         (long long)json_integer_value(first));
            }
            l->n_rejects++;
        } else if (json_object_set_new(seen, s, json_integer(l->lines[i])) != 0) {
            rc = wl_error_set(err, WL_ERR_NOMEM, "nomem", "out of memory");
        }
    }
    json_decref(seen);
    return rc;
}

wl_rc wl_sanctions_read(wl_sanctions_format fmt, const char *xml, size_t len,
                        wl_sanctions_list *out, wl_error *err)
{
    static const sx_format *const formats[] = {&wl_sx_un, &wl_sx_eu, &wl_sx_uk};
    const sx_format *f = formats[fmt];
    xmlTextReaderPtr r = NULL;
    first_error fe = {0, ""};
    uint8_t h[32];
    int ret, seen_root = 0;
    wl_rc rc = WL_OK;
    memset(out, 0, sizeof *out);
    out->list = list_ids[fmt];
    if (len > WL_SANCTIONS_FILE_MAX)
        return wl_error_set(err, WL_ERR_TOO_LARGE, "file_too_large",
                            "%s is %zu bytes, over the %u MiB a list file may be: refused unread",
                            f->what, len, WL_SANCTIONS_FILE_MAX >> 20);
    if ((rc = wl_xml_refuse_unread(xml, len, f->what, err)) != WL_OK)
        return rc;
    wl_sha256(xml, len, h);
    wl_hex_encode(h, 32, out->sha256);
    out->bodies = json_array();
    out->rejects = wl_calloc(WL_SANCTIONS_REJECTS_MAX, sizeof *out->rejects);
    r = out->bodies && out->rejects
            ? xmlReaderForMemory(xml, (int)len, NULL, NULL, wl_xml_parse_options())
            : NULL;
    if (r == NULL)
        return wl_error_set(err, WL_ERR_NOMEM, "nomem", "out of memory");
    xmlTextReaderSetStructuredErrorHandler(r, on_error, &fe);
    ret = xmlTextReaderRead(r);
    while (ret == 1 && rc == WL_OK) {
        const char *name;
        if ((rc = wl_xml_reader_check(r, f->what, err)) != WL_OK)
            break;
        if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT) {
            ret = xmlTextReaderRead(r);
            continue;
        }
        name = (const char *)xmlTextReaderConstLocalName(r);
        if (!seen_root) {
            seen_root = 1;
            rc = root(f, r, out, err);
            ret = xmlTextReaderRead(r);
        } else if (name && is_record(f, name)) {
            xmlNodePtr n = xmlTextReaderExpand(r);
            if (n == NULL)
                break; /* an error inside the record: fe says which */
            if ((rc = wl_xml_tree_check(n, f->what, err)) == WL_OK)
                rc = f->record(out, n, xmlGetLineNo(n), err);
            ret = xmlTextReaderNext(r); /* past the record, whose tree the reader frees */
        } else {
            ret = xmlTextReaderRead(r);
        }
    }
    if (rc == WL_OK && (ret != 0 || fe.why[0]))
        rc = wl_error_set(err, WL_ERR_INVALID, "invalid_xml",
                          "%s is not well-formed XML at line %ld: %s", f->what, fe.line,
                          fe.why[0] ? fe.why : "refused");
    if (rc == WL_OK && !seen_root)
        rc = wl_error_set(err, WL_ERR_INVALID, "invalid_xml", "%s holds no element", f->what);
    if (rc == WL_OK)
        rc = once(out, err);
    if (rc == WL_OK && out->n_rejects > 0) {
        const wl_sanctions_reject *x = &out->rejects[0];
        rc = wl_error_set(err, WL_ERR_INVALID, "sanctions_rejected",
                          "%s: %zu of %zu records refused, nothing to import; the first: %s at "
                          "line %ld: %s",
                          f->what, out->n_rejects, out->records, x->record, x->line, x->why);
    }
    xmlFreeTextReader(r);
    return rc;
}

void wl_sanctions_free(wl_sanctions_list *l)
{
    if (l == NULL)
        return;
    json_decref(l->bodies);
    wl_free(l->lines);
    wl_free(l->rejects);
    memset(l, 0, sizeof *l);
}
