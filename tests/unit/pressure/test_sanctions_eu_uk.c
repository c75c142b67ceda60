/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The EU's Financial Sanctions Files XML 1.1 and the UK's FCDO Sanctions List
 * (include/willing/sanctions.h) read from real excerpts (tests/fixtures/sanctions/eu,
 * uk), each with one synthetic record the reader must refuse (an EU entity without a
 * name, a UK designation without UniqueID): the refusal named with its line, every
 * good body passing the kind's check, each quirk on a real record, a name of each
 * indexed and screened (the EU's Bulgarian alias in Cyrillic met by its Latin
 * spelling); XXE and billion laughs refused unread in both formats.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../fixture.h"
#include "sanctions_test.h"

#define EU WL_SOURCE_DIR "/tests/fixtures/sanctions/eu/eu-fsf-1_1-excerpt-2026-08-05.xml"
#define UK WL_SOURCE_DIR "/tests/fixtures/sanctions/uk/uk-sanctions-list-excerpt-2026-08-14.xml"

static wl_sanctions_list E, K;

static wl_rc read_file(const char *path, wl_sanctions_format f, wl_sanctions_list *l, wl_error *err)
{
    size_t n;
    char *x = wl_test_slurp(path, &n);
    wl_rc rc = x ? wl_sanctions_read(f, x, n, l, err) : WL_ERR_IO;
    free(x);
    return rc;
}

static int setup(void **state)
{
    wl_error err;
    (void)state;
    /* each excerpt holds one synthetic record to refuse: the read answers so, all listed */
    return read_file(EU, WL_SANCTIONS_EU, &E, &err) == WL_ERR_INVALID &&
                   read_file(UK, WL_SANCTIONS_UK, &K, &err) == WL_ERR_INVALID
               ? 0
               : -1;
}

static int teardown(void **state)
{
    (void)state;
    wl_sanctions_free(&E);
    wl_sanctions_free(&K);
    return 0;
}

static void eu_counts(void **state)
{
    wl_error err;
    wl_sanctions_list l;
    (void)state;
    assert_int_equal(read_file(EU, WL_SANCTIONS_EU, &l, &err), WL_ERR_INVALID);
    assert_string_equal(err.code, "sanctions_rejected");
    assert_non_null(strstr(err.msg, "1 of 5 records refused"));
    wl_sanctions_free(&l);
    wl_test_read r = {
        5, 2, 2, 0, "eu-fsf", "2026-08-05", "sanctionEntity logicalId 999999", "no name", 181};
    assert_int_equal(wl_test_read_is(&E, &r), 0);
}

static void eu_records(void **state)
{
    const json_t *b, *n;
    (void)state;
    /* split birthdate with circa false, the primary a strong name with its parts */
    b = wl_test_body(&E, "13");
    assert_string_equal(wl_test_str(b, "type"), "person");
    assert_string_equal(wl_test_at(b, "names", 0, "name"), "Saddam Hussein Al-Tikriti");
    assert_null(json_object_get(json_array_get(json_object_get(b, "names"), 0), "alias"));
    assert_string_equal(wl_test_str(wl_test_name(b, "Abou Ali"), "quality"), "strong"); /* FR */
    assert_string_equal(wl_test_at(b, "dob", 0, "date"), "1937-04-28");
    assert_string_equal(wl_test_at(b, "pob", 0, NULL), "al-Awja, near Tikrit, IRAQ");
    assert_string_equal(wl_test_at(b, "countries", 0, NULL), "IRAQ");
    assert_string_equal(wl_test_at(b, "programmes", 0, NULL), "IRQ");
    assert_string_equal(wl_test_at(b, "ids", 0, "type"), "EU reference");
    assert_string_equal(wl_test_at(b, "ids", 0, "value"), "EU.27.28");
    assert_string_equal(wl_test_str(b, "listed"),
                        "2026-08-05"); /* no designationDate: the file's */
    /* the structured name primary though a French alias comes first; city "-" and country
       00 (UNKNOWN) left out: a passport with no country */
    b = wl_test_body(&E, "191");
    assert_string_equal(wl_test_at(b, "names", 0, "name"), "Khalid Sheikh MOHAMMED");
    assert_string_equal(wl_test_str(wl_test_name(b, "Bin Khalid Fahd Bin Adballah"), "alias"),
                        "aka");
    assert_string_equal(wl_test_at(b, "pob", 0, NULL), "PAKISTAN");
    assert_string_equal(wl_test_at(b, "dob", 1, "date"), "1964-03-01");
    assert_string_equal(wl_test_at(b, "ids", 1, "type"), "National passport");
    assert_string_equal(wl_test_at(b, "ids", 1, "value"), "488555");
    assert_null(json_object_get(json_array_get(json_object_get(b, "ids"), 1), "country"));
    assert_null(json_object_get(b, "countries"));
    /* designationDate kept; the Bulgarian alias in Cyrillic */
    b = wl_test_body(&E, "330");
    assert_string_equal(wl_test_str(b, "listed"), "2001-10-06");
    assert_non_null(n = wl_test_name(b, "Организация за подпомагане на Ulema, Пакистан"));
    assert_string_equal(wl_test_str(n, "script"), "Cyrl");
    assert_string_equal(wl_test_str(n, "quality"), "strong");
    assert_int_equal(json_array_size(json_object_get(b, "countries")), 1); /* PAKISTAN once */
    assert_string_equal(wl_test_str(wl_test_body(&E, "980"), "type"), "entity");
}

static void uk_records(void **state)
{
    const json_t *b;
    (void)state;
    /* the file's date from <DateGenerated>14/08/2026 */
    wl_test_read r = {5,       2,  1, 1, "uk-fcdo", "2026-08-14", "Designation 5 (no UniqueID)",
                      "no id", 353};
    assert_int_equal(wl_test_read_is(&K, &r), 0);
    /* dd/mm/1968 a year, 12/11/1967 twice once; " D0009720" trimmed; Name1, Name2, Name6 */
    b = wl_test_body(&K, "afg0011");
    assert_string_equal(wl_test_str(b, "type"), "person");
    assert_string_equal(wl_test_str(b, "listed"), "2001-01-31");
    assert_string_equal(wl_test_str(b, "amended"), "2026-04-29");
    assert_string_equal(wl_test_at(b, "names", 0, "name"), "ABDUL LATIF MANSUR");
    assert_string_equal(wl_test_str(wl_test_name(b, "Abdul Latif MANSOOR"), "quality"), "strong");
    assert_string_equal(wl_test_str(wl_test_name(b, "عبد اللطيف منصور"), "script"), "Arab");
    assert_int_equal(json_array_size(json_object_get(b, "dob")), 2);
    assert_string_equal(wl_test_at(b, "dob", 0, "date"), "1968");
    assert_string_equal(wl_test_at(b, "dob", 1, "date"), "1967-11-12");
    assert_string_equal(wl_test_at(b, "ids", 0, "type"), "OFSI group");
    assert_string_equal(wl_test_at(b, "ids", 1, "value"), "TAi.007");
    assert_string_equal(wl_test_at(b, "ids", 2, "value"), "D0009720");
    assert_string_equal(wl_test_at(b, "pob", 0, NULL),
                        "Zurmat District, Paktia Province, Afghanistan");
    assert_string_equal(wl_test_at(b, "programmes", 0, NULL),
                        "The Afghanistan (Sanctions) (EU Exit) Regulations 2020");
    /* "Primary name" in lower case; dd/09/1958 to the month, 1985 a year; Low quality weak;
       the national id keeps its leading zero */
    b = wl_test_body(&K, "aqd0128");
    assert_string_equal(wl_test_at(b, "names", 0, "name"), "AKRAM TURKI HISHAN AL-MAZIDIH");
    assert_string_equal(wl_test_str(wl_test_name(b, "Abu Akram"), "quality"), "weak");
    assert_string_equal(wl_test_at(b, "dob", 3, "date"), "1958-09");
    assert_string_equal(wl_test_at(b, "dob", 4, "date"), "1985");
    assert_string_equal(wl_test_at(b, "ids", 2, "type"), "National ID");
    assert_string_equal(wl_test_at(b, "ids", 2, "value"), "0075258");
    assert_string_equal(wl_test_at(b, "countries", 1, NULL), "Syria");
    /* an entity: "Jannat Oshiklari " trimmed, its Cyrillic name */
    b = wl_test_body(&K, "aqd0377");
    assert_string_equal(wl_test_str(b, "type"), "entity");
    assert_non_null(wl_test_name(b, "Jannat Oshiklari"));
    assert_string_equal(wl_test_str(wl_test_name(b, "Катиба ат-Таухид валь-Джихад"), "script"),
                        "Cyrl");
    /* a ship with no OFSIGroupID or UNReferenceNumber: IMO9562233 without its prefix */
    b = wl_test_body(&K, "dpr0075");
    assert_string_equal(wl_test_str(b, "type"), "vessel");
    assert_int_equal(json_array_size(json_object_get(b, "ids")), 1);
    assert_string_equal(wl_test_at(b, "ids", 0, "type"), "IMO");
    assert_string_equal(wl_test_at(b, "ids", 0, "value"), "9562233");
    assert_string_equal(wl_test_at(b, "countries", 0, NULL), "Comoros");
}

static void uk_quirks(void **state)
{
    /* a RegimeName of two regimes separated by '|'; "Primary Name" given twice (the
       second an alias); a DOB of another shape and a NameType unknown refused by line */
    static const char doc[] =
        "<Designations dateGenerated=\"2026-08-14T23:00:04.744Z\">\n"
        "<Designation><UniqueID>XX01</UniqueID><Names><Name><Name6>A B</Name6>"
        "<NameType>PRIMARY NAME</NameType></Name><Name><Name6>C D</Name6>"
        "<NameType>primary name</NameType></Name></Names><RegimeName>One |Two</RegimeName>"
        "<IndividualEntityShip>Entity</IndividualEntityShip></Designation>\n"
        "<Designation><UniqueID>XX02</UniqueID><Names><Name><Name6>E</Name6>"
        "<NameType>Primary Name</NameType></Name></Names><IndividualEntityShip>Individual"
        "</IndividualEntityShip><IndividualDetails><Individual><DOBs><DOB>1968-01-01</DOB>"
        "</DOBs></Individual></IndividualDetails></Designation>\n"
        "<Designation><UniqueID>XX03</UniqueID><Names><Name><Name6>F</Name6>"
        "<NameType>Nickname</NameType></Name></Names><IndividualEntityShip>Ship"
        "</IndividualEntityShip></Designation>\n</Designations>";
    wl_sanctions_list l;
    wl_error err;
    const json_t *b;
    (void)state;
    assert_int_equal(wl_sanctions_read(WL_SANCTIONS_UK, doc, strlen(doc), &l, &err),
                     WL_ERR_INVALID);
    assert_int_equal(l.n_rejects, 2);
    b = wl_test_body(&l, "xx01");
    assert_string_equal(wl_test_str(b, "listed"), "2026-08-14"); /* the root's dateGenerated */
    assert_string_equal(wl_test_at(b, "programmes", 0, NULL), "One");
    assert_string_equal(wl_test_at(b, "programmes", 1, NULL), "Two");
    assert_string_equal(wl_test_str(wl_test_name(b, "C D"), "alias"), "aka");
    assert_string_equal(l.rejects[0].record, "Designation XX02");
    assert_int_equal(l.rejects[0].line, 3);
    assert_non_null(strstr(l.rejects[0].why, "DOB '1968-01-01'"));
    assert_non_null(strstr(l.rejects[1].why, "NameType 'Nickname'"));
    wl_sanctions_free(&l);
}

static void screened(void **state)
{
    wl_names *n;
    wl_names_index *ix, *iy;
    wl_names_candidate c[10];
    size_t count = 0;
    wl_error err;
    (void)state;
    assert_int_equal(wl_names_open(&n, &err), WL_OK);
    assert_non_null(ix = wl_test_indexed(&E, n));
    assert_non_null(iy = wl_test_indexed(&K, n));
    /* the EU's Bulgarian alias in Cyrillic met by its Latin spelling */
    wl_names_query q = {.name = "Organizatsiya za podpomagane na Ulema, Pakistan"};
    assert_int_equal(wl_names_screen(n, ix, &q, c, 10, &count, &err), WL_OK);
    assert_true(count >= 1);
    assert_string_equal(wl_test_str(json_array_get(E.bodies, c[0].subject), "subject"), "330");
    assert_string_equal(c[0].name, "Организация за подпомагане на Ulema, Пакистан");
    assert_true(c[0].how >= WL_MATCH_LOOSE);
    /* the UK's primary name, reordered */
    wl_names_query r = {.name = "Mansur, Abdul Latif"};
    assert_int_equal(wl_names_screen(n, iy, &r, c, 10, &count, &err), WL_OK);
    assert_true(count >= 1);
    assert_string_equal(wl_test_str(json_array_get(K.bodies, c[0].subject), "subject"), "afg0011");
    assert_int_equal(c[0].how, WL_MATCH_EXACT);
    /* the ship by its IMO number as OFAC's and the UN's readers give it, without the UK's
       prefix */
    wl_name_id id = {"IMO", "9562233"};
    wl_names_query i = {.ids = &id, .n_ids = 1};
    assert_int_equal(wl_names_screen(n, iy, &i, c, 10, &count, &err), WL_OK);
    assert_true(count >= 1);
    assert_string_equal(wl_test_str(json_array_get(K.bodies, c[0].subject), "subject"), "dpr0075");
    wl_names_index_free(ix);
    wl_names_index_free(iy);
    wl_names_close(n);
}

static void refused_unread(void **state)
{
    static const char *const docs[] = {
        "<?xml version=\"1.0\"?><!DOCTYPE export [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
        "<export xmlns=\"http://eu.europa.ec/fpi/fsd/export\">&e;</export>",
        "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY e SYSTEM \"http://127.0.0.1:9/\">]>"
        "<Designations>&e;</Designations>",
        "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b "
        "\"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>"
        "<export>&c;</export>"};
    static const char *const named[] = {"an external entity", "an external entity",
                                        "entity expansion"};
    static const wl_sanctions_format fmts[] = {WL_SANCTIONS_EU, WL_SANCTIONS_UK, WL_SANCTIONS_EU};
    (void)state;
    for (size_t i = 0; i < 3; i++) {
        wl_sanctions_list l;
        wl_error err;
        assert_int_equal(wl_sanctions_read(fmts[i], docs[i], strlen(docs[i]), &l, &err),
                         WL_ERR_INVALID);
        assert_string_equal(err.code, "xml_doctype");
        assert_non_null(strstr(err.msg, named[i]));
        assert_null(l.bodies);
    }
    /* the same in EBCDIC, declared so, which libxml2 would decode itself: refused unread */
    for (size_t i = 0; i < 2; i++) {
        wl_sanctions_list l;
        wl_error err;
        char doc[512];
        size_t n;
        char *eb;
        snprintf(doc, sizeof doc, "<?xml version=\"1.0\" encoding=\"IBM037\"?>%s",
                 strchr(docs[i], '>') + 1);
        assert_non_null(eb = wl_test_encoded(doc, "IBM037", &n));
        assert_int_equal(wl_sanctions_read(fmts[i], eb, n, &l, &err), WL_ERR_INVALID);
        assert_string_equal(err.code, "xml_encoding");
        assert_non_null(strstr(err.msg, i ? "the UK list" : "the EU list"));
        assert_null(l.bodies);
        free(eb);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(eu_counts), cmocka_unit_test(eu_records), cmocka_unit_test(uk_records),
        cmocka_unit_test(uk_quirks), cmocka_unit_test(screened),   cmocka_unit_test(refused_unread),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
