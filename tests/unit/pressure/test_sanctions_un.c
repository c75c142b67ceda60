/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The UN Security Council's consolidated list (include/willing/sanctions.h) read
 * from the real file of 2026-02-27 (tests/fixtures/sanctions/un): the UN's counts,
 * every body passing the kind's check, each quirk on a real record (names over
 * FIRST..FOURTH_NAME, trailing spaces, DATE/YEAR/FROM_YEAR-TO_YEAR with TYPE_OF_DATE,
 * Good/Low and a.k.a./f.k.a. aliases, several names in one ALIAS_NAME, empty
 * placeholders, IMO numbers in COMMENTS1, a date with a zone), a name indexed and
 * screened; XXE and billion laughs refused unread, bad files and records refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../fixture.h"
#include "sanctions_test.h"

#define UN WL_SOURCE_DIR "/tests/fixtures/sanctions/un/un-consolidated-2026-02-27.xml"

static char *un;
static size_t un_n;
static wl_sanctions_list L;

static int setup(void **state)
{
    wl_error err;
    (void)state;
    un = wl_test_slurp(UN, &un_n);
    return un && wl_sanctions_read(WL_SANCTIONS_UN, un, un_n, &L, &err) == WL_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    wl_sanctions_free(&L);
    free(un);
    return 0;
}

static void counts(void **state)
{
    (void)state;
    assert_int_equal(L.records, 1003);
    assert_int_equal(L.n_person, 730);
    assert_int_equal(L.n_entity, 273);
    assert_int_equal(L.n_rejects, 0);
    assert_int_equal(json_array_size(L.bodies), 1003);
    assert_string_equal(L.list, "un-sc");
    assert_string_equal(L.generated, "2026-02-27");
    assert_string_equal(L.sha256,
                        "66b392a4090868d2d39161e8d748efd39138377b0e6e60b7921aa67a4f99c8bf");
    assert_int_equal(wl_test_bodies_failing(&L), 0);
    assert_int_equal(L.lines[0], 4); /* the first INDIVIDUAL's line */
}

static void records(void **state)
{
    const json_t *b, *n;
    (void)state;
    /* the first: empty placeholders (<ALIAS_NAME/>, <COUNTRY/>) give nothing */
    b = wl_test_body(&L, "cdi.001");
    assert_non_null(b);
    assert_int_equal(json_array_size(json_object_get(b, "names")), 1);
    assert_string_equal(wl_test_at(b, "names", 0, "name"), "ERIC BADEGE");
    assert_null(json_object_get(b, "pob"));
    assert_string_equal(wl_test_at(b, "dob", 0, "date"), "1971");
    assert_string_equal(wl_test_str(b, "listed"), "2012-12-31");
    assert_string_equal(wl_test_str(b, "amended"), "2016-10-13");
    assert_string_equal(wl_test_at(b, "programmes", 0, NULL), "DRC");
    assert_string_equal(wl_test_at(b, "ids", 0, "type"), "UN reference");
    assert_string_equal(wl_test_at(b, "ids", 0, "value"), "CDi.001");
    /* REFERENCE_NUMBER "KPe.056 ": the subject and the id trimmed */
    b = wl_test_body(&L, "kpe.056");
    assert_non_null(b);
    assert_string_equal(wl_test_at(b, "ids", 0, "value"), "KPe.056");
    /* FIRST..FOURTH_NAME joined in order */
    b = wl_test_body(&L, "cdi.035");
    assert_non_null(b);
    assert_int_equal(
        strchr(strchr(strchr(wl_test_at(b, "names", 0, "name"), ' ') + 1, ' ') + 1, ' ') != NULL,
        1);
    /* "Azim Adhajani; Azim Agha-Jani" in one ALIAS_NAME: two aliases, Good = strong */
    b = wl_test_body(&L, "iri.003");
    assert_non_null(n = wl_test_name(b, "Azim Adhajani"));
    assert_string_equal(wl_test_str(n, "quality"), "strong");
    assert_non_null(wl_test_name(b, "Azim Agha-Jani"));
    /* BETWEEN 1973..1974, each end circa; Low = weak; LAST_DAY_UPDATED's latest VALUE */
    b = wl_test_body(&L, "cdi.030");
    assert_string_equal(wl_test_at(b, "dob", 0, "date"), "1973");
    assert_true(
        json_is_true(json_object_get(json_array_get(json_object_get(b, "dob"), 0), "circa")));
    assert_string_equal(wl_test_at(b, "dob", 1, "date"), "1974");
    assert_string_equal(wl_test_str(wl_test_name(b, "Lydia"), "quality"), "weak");
    assert_string_equal(wl_test_str(b, "amended"), "2023-03-01");
    assert_string_equal(wl_test_at(b, "pob", 0, NULL), "Bigogwe, Rwanda");
    /* EXACT DATE to the day, APPROXIMATELY a year circa */
    b = wl_test_body(&L, "cdi.014");
    assert_string_equal(wl_test_at(b, "dob", 0, "date"), "1962-03-17");
    assert_null(json_object_get(json_array_get(json_object_get(b, "dob"), 0), "circa"));
    assert_string_equal(wl_test_at(b, "dob", 1, "date"), "1966");
    assert_true(
        json_is_true(json_object_get(json_array_get(json_object_get(b, "dob"), 1), "circa")));
    /* NAME_ORIGINAL_SCRIPT with a trailing space: an alias in Arabic, trimmed */
    b = wl_test_body(&L, "lyi.024");
    assert_non_null(n = wl_test_name(b, "مصعب مصطفى ابو القاسم عمر"));
    assert_string_equal(wl_test_str(n, "script"), "Arab");
    assert_string_equal(wl_test_str(n, "alias"), "aka");
    /* an entity's a.k.a. and f.k.a. */
    b = wl_test_body(&L, "cde.001");
    assert_string_equal(wl_test_str(b, "type"), "entity");
    assert_string_equal(wl_test_str(wl_test_name(b, "Allied Democratic Forces"), "alias"), "aka");
    assert_string_equal(wl_test_str(wl_test_name(b, "NALU"), "alias"), "fka");
    assert_null(json_object_get(wl_test_name(b, "NALU"), "quality"));
    /* IMO numbers only in COMMENTS1: "(IMO) Number: 1790183." */
    b = wl_test_body(&L, "kpe.020");
    assert_string_equal(wl_test_at(b, "ids", 1, "type"), "IMO");
    assert_string_equal(wl_test_at(b, "ids", 1, "value"), "1790183");
    /* LISTED_ON "2015-04-07-04:00": an xs:date with its zone */
    b = wl_test_body(&L, "qdi.352");
    assert_string_equal(wl_test_str(b, "listed"), "2015-04-07");
    /* a Cyrillic original name; a passport with its issuing country */
    b = wl_test_body(&L, "qdi.290");
    assert_string_equal(wl_test_str(wl_test_name(b, "Умаров Доку Хаматович"), "script"), "Cyrl");
    assert_string_equal(wl_test_at(b, "ids", 1, "type"), "Passport");
    assert_string_equal(wl_test_at(b, "ids", 1, "value"), "96 03 464086");
    assert_string_equal(wl_test_at(b, "ids", 1, "country"), "Russian Federation");
}

static void screened(void **state)
{
    wl_names *n;
    wl_names_index *ix;
    wl_names_candidate c[10];
    size_t count = 0;
    wl_error err;
    (void)state;
    assert_int_equal(wl_names_open(&n, &err), WL_OK);
    assert_non_null(ix = wl_test_indexed(&L, n));
    /* the UN's Cyrillic name met by its Latin spelling */
    wl_names_query q = {.name = "Umarov, Doku Khamatovich"};
    assert_int_equal(wl_names_screen(n, ix, &q, c, 10, &count, &err), WL_OK);
    assert_true(count >= 1);
    assert_string_equal(wl_test_str(json_array_get(L.bodies, c[0].subject), "subject"), "qdi.290");
    assert_true(c[0].score >= 0.95);
    /* and a vessel company by the IMO number buried in its comments */
    wl_name_id id = {"IMO", "1790183"};
    wl_names_query i = {.ids = &id, .n_ids = 1};
    assert_int_equal(wl_names_screen(n, ix, &i, c, 10, &count, &err), WL_OK);
    assert_int_equal(count, 1);
    assert_string_equal(wl_test_str(json_array_get(L.bodies, c[0].subject), "subject"), "kpe.020");
    wl_names_index_free(ix);
    wl_names_close(n);
}

static wl_rc read_text(const char *xml, wl_sanctions_list *l, wl_error *err)
{
    return wl_sanctions_read(WL_SANCTIONS_UN, xml, strlen(xml), l, err);
}

static void refused_unread(void **state)
{
    static const char *const xxe[] = {
        "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n"
        "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>&e;</FIRST_NAME>"
        "</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>",
        "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e PUBLIC \"-//x\" "
        "\"http://127.0.0.1:9/x\">]>\n<CONSOLIDATED_LIST>&e;</CONSOLIDATED_LIST>",
        "<!-- a comment first --><!DOCTYPE CONSOLIDATED_LIST SYSTEM \"http://127.0.0.1:9/x.dtd\">"
        "<CONSOLIDATED_LIST/>"};
    wl_sanctions_list l;
    wl_error err;
    char lol[2048];
    size_t k;
    (void)state;
    for (size_t i = 0; i < sizeof xxe / sizeof *xxe; i++) {
        assert_int_equal(read_text(xxe[i], &l, &err), WL_ERR_INVALID);
        assert_string_equal(err.code, "xml_doctype");
        assert_non_null(strstr(err.msg, "an external entity"));
        assert_null(l.bodies); /* nothing read */
        wl_sanctions_free(&l);
    }
    /* billion laughs: ten entities of ten each */
    k = (size_t)snprintf(lol, sizeof lol,
                         "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol "
                         "\"lol\">");
    for (int i = 1; i <= 9; i++) {
        k += (size_t)snprintf(lol + k, sizeof lol - k, "<!ENTITY lol%d \"", i);
        for (int j = 0; j < 10; j++) /* each lolN ten of lolN-1 */
            k += i == 1 ? (size_t)snprintf(lol + k, sizeof lol - k, "&lol;")
                        : (size_t)snprintf(lol + k, sizeof lol - k, "&lol%d;", i - 1);
        k += (size_t)snprintf(lol + k, sizeof lol - k, "\">");
    }
    snprintf(lol + k, sizeof lol - k, "]>\n<CONSOLIDATED_LIST>&lol9;</CONSOLIDATED_LIST>");
    assert_int_equal(read_text(lol, &l, &err), WL_ERR_INVALID);
    assert_string_equal(err.code, "xml_doctype");
    assert_non_null(strstr(err.msg, "entity expansion"));
    assert_non_null(strstr(err.msg, "billion laughs"));
    assert_null(l.bodies);
    /* over the ceiling: refused before a byte is read (the length alone is looked at) */
    assert_int_equal(
        wl_sanctions_read(WL_SANCTIONS_UN, "<", (size_t)WL_SANCTIONS_FILE_MAX + 1, &l, &err),
        WL_ERR_TOO_LARGE);
    assert_string_equal(err.code, "file_too_large");
    assert_null(l.bodies);
}

/* The reviewer's file: a DOCTYPE with an external entity, the whole in EBCDIC (IBM037), which
   libxml2 decodes itself and a scan of the bytes as ASCII does not see; and other encodings. */
static void other_encodings_refused_unread(void **state)
{
    static const char doc[] =
        "<?xml version=\"1.0\" encoding=\"IBM037\"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "
        "\"file:///etc/hostname\">]><CONSOLIDATED_LIST dateGenerated=\"2026-03-01T00:00:00Z\">"
        "<INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>&x;</FIRST_NAME><SECOND_NAME>"
        "TEST</SECOND_NAME><UN_LIST_TYPE>DRC</UN_LIST_TYPE><REFERENCE_NUMBER>XXi.001"
        "</REFERENCE_NUMBER><LISTED_ON>2012-12-31</LISTED_ON></INDIVIDUAL></INDIVIDUALS>"
        "<ENTITIES/></CONSOLIDATED_LIST>";
    static const struct {
        const char *text, *named;
    } declared[] = {
        {"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><CONSOLIDATED_LIST/>",
         "declared encoding=\"ISO-8859-1\""},
        {"<?xml version='1.0' encoding = 'UTF-16'?><CONSOLIDATED_LIST/>",
         "declared encoding=\"UTF-16\""},
        {"<?xml version=\"1.0\" encoding=\"UTF-8\"<CONSOLIDATED_LIST/>", "end of its XML"},
        {"<?xml version=\"1.0\" encoding=UTF-8?><CONSOLIDATED_LIST/>", "not name clearly"},
        {"\xFF\xFE<\0?\0x\0m\0l\0", "UTF-16 or UTF-32"},
        {"<\0\0\0?\0\0\0", "UTF-16 or UTF-32"}};
    wl_sanctions_list l;
    wl_error err;
    size_t n;
    char *eb = wl_test_encoded(doc, "IBM037", &n);
    (void)state;
    assert_non_null(eb);
    assert_int_equal(wl_sanctions_read(WL_SANCTIONS_UN, eb, n, &l, &err), WL_ERR_INVALID);
    assert_string_equal(err.code, "xml_encoding");
    assert_non_null(strstr(err.msg, "the UN list is not UTF-8 or US-ASCII"));
    assert_null(l.bodies); /* nothing read */
    free(eb);
    for (size_t i = 0; i < sizeof declared / sizeof *declared; i++) {
        size_t len = strlen(declared[i].text);
        if (len < 8) /* the UTF-16 and UTF-32 ones: 8 bytes */
            len = 8;
        assert_int_equal(wl_sanctions_read(WL_SANCTIONS_UN, declared[i].text, len, &l, &err),
                         WL_ERR_INVALID);
        assert_string_equal(err.code, "xml_encoding");
        assert_non_null(strstr(err.msg, declared[i].named));
        assert_null(l.bodies);
    }
    /* UTF-8 and US-ASCII in any case, with either quote, are read */
    static const char *const fine[] = {
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><CONSOLIDATED_LIST/>",
        "\xEF\xBB\xBF<?xml version='1.0' encoding='US-ASCII' standalone='yes'?>"
        "<CONSOLIDATED_LIST/>",
        "\n<CONSOLIDATED_LIST/>"};
    for (size_t i = 0; i < sizeof fine / sizeof *fine; i++) {
        assert_int_equal(read_text(fine[i], &l, &err), WL_OK);
        wl_sanctions_free(&l);
    }
}

static void refused(void **state)
{
    wl_sanctions_list l;
    wl_error err;
    char *cut;
    (void)state;
    /* not well-formed: the file cut in the middle of a record, its line named */
    cut = wl_strndup(un, un_n / 2);
    assert_int_equal(read_text(cut, &l, &err), WL_ERR_INVALID);
    assert_string_equal(err.code, "invalid_xml");
    assert_non_null(strstr(err.msg, "not well-formed XML at line"));
    wl_sanctions_free(&l);
    wl_free(cut);
    /* another list's root */
    assert_int_equal(read_text("<export/>", &l, &err), WL_ERR_INVALID);
    assert_string_equal(err.code, "not_this_list");
    wl_sanctions_free(&l);
    /* every refused record listed with its line and why; the good one still given */
    assert_int_equal(
        read_text("<CONSOLIDATED_LIST dateGenerated=\"2026-02-27T00:00:09Z\">\n<INDIVIDUALS>\n"
                  "<INDIVIDUAL><REFERENCE_NUMBER>XXi.001</REFERENCE_NUMBER>"
                  "<FIRST_NAME>GOOD</FIRST_NAME></INDIVIDUAL>\n"
                  "<INDIVIDUAL><FIRST_NAME>NO REFERENCE</FIRST_NAME></INDIVIDUAL>\n"
                  "<INDIVIDUAL><REFERENCE_NUMBER>XXi.002</REFERENCE_NUMBER></INDIVIDUAL>\n"
                  "<INDIVIDUAL><REFERENCE_NUMBER>XXi.003</REFERENCE_NUMBER><FIRST_NAME>A"
                  "</FIRST_NAME><INDIVIDUAL_ALIAS><QUALITY>Fair</QUALITY><ALIAS_NAME>B"
                  "</ALIAS_NAME></INDIVIDUAL_ALIAS></INDIVIDUAL>\n"
                  "<INDIVIDUAL><REFERENCE_NUMBER>XXi.004</REFERENCE_NUMBER><FIRST_NAME>C"
                  "</FIRST_NAME><INDIVIDUAL_DATE_OF_BIRTH><DATE>1970-02-31</DATE>"
                  "</INDIVIDUAL_DATE_OF_BIRTH></INDIVIDUAL>\n"
                  "<INDIVIDUAL><REFERENCE_NUMBER>XXi.001 </REFERENCE_NUMBER>"
                  "<FIRST_NAME>TWICE</FIRST_NAME></INDIVIDUAL>\n"
                  "</INDIVIDUALS></CONSOLIDATED_LIST>",
                  &l, &err),
        WL_ERR_INVALID);
    assert_string_equal(err.code, "sanctions_rejected");
    assert_non_null(strstr(err.msg, "5 of 6 records refused"));
    assert_int_equal(l.n_rejects, 5);
    assert_int_equal(json_array_size(l.bodies), 2); /* XXi.001 and its second record */
    assert_string_equal(wl_test_str(json_array_get(l.bodies, 0), "listed"),
                        "2026-02-27"); /* the file's */
    assert_string_equal(l.rejects[0].record, "INDIVIDUAL (no REFERENCE_NUMBER)");
    assert_int_equal(l.rejects[0].line, 4);
    assert_string_equal(l.rejects[0].why, "no id");
    assert_string_equal(l.rejects[1].record, "INDIVIDUAL XXi.002");
    assert_string_equal(l.rejects[1].why, "no name");
    assert_non_null(strstr(l.rejects[2].why, "QUALITY 'Fair'"));
    assert_int_equal(l.rejects[3].line, 7);
    assert_non_null(strstr(l.rejects[3].why, "1970-02-31"));
    assert_string_equal(l.rejects[4].record, "subject xxi.001");
    assert_int_equal(l.rejects[4].line, 8);
    assert_non_null(strstr(l.rejects[4].why, "first at line 3"));
    wl_sanctions_free(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counts),
        cmocka_unit_test(records),
        cmocka_unit_test(screened),
        cmocka_unit_test(refused_unread),
        cmocka_unit_test(other_encodings_refused_unread),
        cmocka_unit_test(refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
