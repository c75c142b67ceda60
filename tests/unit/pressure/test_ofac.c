/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OFAC's SDN legacy CSV files (include/willing/ofac.h) read from the real
 * July 2021 set (tests/fixtures/ofac): OFAC's own counts, -0- nulls, CRLF and
 * the trailing 0x1A, programmes unpacked, facts out of remarks, remarks
 * continued from sdn_comments.csv; the whole list indexed by the names engine
 * and Щербаков found as OFAC spells him. Bad files refused whole, every
 * refused record named with its file, line and why.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../fixture.h"
#include "willing/ofac.h"

#define F64 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define FIX WL_SOURCE_DIR "/tests/fixtures/ofac/2021-07/"

static char *sdn, *add, *alt, *com;
static size_t sdn_n, add_n, alt_n, com_n;

static int setup(void **state)
{
    (void)state;
    sdn = wl_test_slurp(FIX "sdn.csv", &sdn_n);
    add = wl_test_slurp(FIX "add.csv", &add_n);
    alt = wl_test_slurp(FIX "alt.csv", &alt_n);
    com = wl_test_slurp(FIX "sdn_comments.csv", &com_n);
    return sdn && add && alt && com ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(sdn), free(add), free(alt), free(com);
    return 0;
}

static const wl_ofac_entry *entry(const wl_ofac_list *l, uint64_t ent)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->entries[i].ent_num == ent)
            return &l->entries[i];
    fail_msg("no entry %llu", (unsigned long long)ent);
    return NULL;
}

static void real_files(void **state)
{
    wl_ofac_list l;
    wl_error err;
    (void)state;
    assert_int_equal(wl_ofac_read(sdn, sdn_n, add, add_n, alt, alt_n, com, com_n, &l, &err), WL_OK);
    assert_int_equal(l.n, 8976);
    assert_int_equal(l.n_addresses, 13837);
    assert_int_equal(l.n_aliases, 11910);
    assert_int_equal(l.n_comments, 5);
    assert_int_equal(l.n_rejects, 0);
    const wl_ofac_entry *e = entry(&l, 31303);
    assert_string_equal(e->name, "SHCHERBAKOV, Kirill Konstantinovich");
    assert_string_equal(e->type, "person");
    assert_int_equal(e->n_programs, 3);
    assert_string_equal(e->programs[0], "UKRAINE-EO13661");
    assert_string_equal(e->programs[2], "ELECTION-EO13848");
    assert_null(e->title);
    assert_int_equal(e->n_dobs, 1);
    assert_int_equal(e->dobs[0].year, 1968);
    assert_int_equal(e->dobs[0].month, 5);
    assert_int_equal(e->dobs[0].day, 18);
    assert_string_equal(e->pob, "Russia");
    assert_int_equal(e->n_countries, 1);
    assert_string_equal(e->countries[0], "Russia");
    assert_int_equal(e->n_ids, 1);
    assert_string_equal(e->ids[0].type, "tax id");
    assert_string_equal(e->ids[0].value, "774302261730");
    e = entry(&l, 306); /* an entity: its a.k.a. in remarks after alt.csv's; addresses' countries */
    assert_string_equal(e->type, "entity");
    assert_string_equal(e->aliases[e->n_aliases - 1].name, "BNC");
    assert_string_equal(e->aliases[0].name, "NATIONAL BANK OF CUBA");
    assert_true(e->n_countries >= 2);
    e = entry(&l, 28264); /* remarks continued in sdn_comments.csv */
    assert_non_null(strstr(e->remarks, "Phone Number 8613314257947"));
    assert_non_null(strstr(e->remarks, "Linked To: LAZARUS GROUP."));
    size_t vessels = 0, imo = 0, circa = 0, years = 0;
    for (size_t i = 0; i < l.n; i++) {
        vessels += strcmp(l.entries[i].type, "vessel") == 0;
        for (size_t k = 0; k < l.entries[i].n_ids; k++)
            imo += strcmp(l.entries[i].ids[k].type, "IMO") == 0;
        for (size_t k = 0; k < l.entries[i].n_dobs; k++)
            circa += l.entries[i].dobs[k].circa, years += l.entries[i].dobs[k].month == 0;
    }
    assert_true(vessels > 100 && imo >= vessels / 2);
    assert_true(circa > 10 && years > 100);
    wl_ofac_free(&l);
    wl_ofac_free(&l); /* a zeroed list: a no-op */
}

static void screened(void **state)
{
    wl_ofac_list l;
    wl_names *n;
    wl_names_index *ix;
    wl_error err;
    wl_names_candidate c[10];
    size_t count = 0, refused = 0;
    (void)state;
    assert_int_equal(wl_ofac_read(sdn, sdn_n, add, add_n, alt, alt_n, com, com_n, &l, &err), WL_OK);
    assert_int_equal(wl_names_open(&n, &err), WL_OK);
    assert_int_equal(wl_names_index_new(1, &ix), WL_OK);
    for (size_t i = 0; i < l.n; i++) {
        const wl_ofac_entry *e = &l.entries[i];
        wl_name_in names[64];
        size_t nn = 0;
        names[nn++] = (wl_name_in){e->name, 0, 0};
        for (size_t k = 0; k < e->n_aliases && nn < 64; k++)
            names[nn++] = (wl_name_in){e->aliases[k].name, 1, e->aliases[k].weak};
        wl_names_subject s = {e->ent_num,     names,     nn,
                              e->dobs,        e->n_dobs, (const char *const *)e->countries,
                              e->n_countries, e->ids,    e->n_ids};
        if (wl_names_index_add(ix, n, &s, &err) != WL_OK)
            refused++;
    }
    assert_int_equal(refused, 0);
    assert_true(wl_names_index_keys(ix) > 15000);
    wl_names_query q = {.name = "Щербаков Кирилл Константинович", .dob = {1968, 5, 18, 0}};
    assert_int_equal(wl_names_screen(n, ix, &q, c, 10, &count, &err), WL_OK);
    assert_true(count >= 1);
    assert_int_equal(c[0].subject, 31303);
    assert_int_equal(c[0].how, WL_MATCH_EXACT);
    assert_int_equal(c[0].dob, WL_AGREE_DAY);
    wl_names_query t = {.name = "Scherbakov, Kirill"};
    assert_int_equal(wl_names_screen(n, ix, &t, c, 10, &count, &err), WL_OK);
    assert_int_equal(c[0].subject, 31303);
    wl_name_id id = {"tax", "774302261730"};
    wl_names_query i = {.ids = &id, .n_ids = 1};
    assert_int_equal(wl_names_screen(n, ix, &i, c, 10, &count, &err), WL_OK);
    assert_int_equal(count, 1);
    assert_int_equal(c[0].subject, 31303);
    wl_names_index_free(ix);
    wl_names_close(n);
    wl_ofac_free(&l);
}

static void as_designations(void **state)
{
    static const char sha[] = "aa1b8fd0bb8e50e1a2c2f1c2bf32e3d1f1c6a5e3a9b1f1c1d1e1f1a1b1c1d1e1";
    wl_ofac_list l;
    wl_error err;
    size_t refused = 0;
    (void)state;
    assert_int_equal(wl_ofac_read(sdn, sdn_n, add, add_n, alt, alt_n, com, com_n, &l, &err), WL_OK);
    for (size_t i = 0; i < l.n; i++) {
        json_t *b = NULL;
        if (wl_ofac_body(&l.entries[i], sha, "2021-07-01", &b, &err) != WL_OK) {
            if (refused++ < 5)
                print_message("ent_num %llu: %s\n", (unsigned long long)l.entries[i].ent_num,
                              err.msg);
            continue;
        }
        if (l.entries[i].ent_num == 31303) {
            assert_string_equal(json_string_value(json_object_get(b, "subject")), "31303");
            assert_string_equal(json_string_value(json_object_get(b, "type")), "person");
            json_t *d = json_array_get(json_object_get(b, "dob"), 0);
            assert_string_equal(json_string_value(json_object_get(d, "date")), "1968-05-18");
            assert_int_equal(json_array_size(json_object_get(b, "programmes")), 3);
        }
        json_decref(b);
    }
    assert_int_equal(refused, 0); /* every entry of OFAC's list is a designation the kind accepts */
    wl_ofac_free(&l);
}

static void read_str(const char *sdn_text, const char *alt_text, wl_ofac_list *l, wl_rc want,
                     wl_error *err)
{
    assert_int_equal(wl_ofac_read(sdn_text, strlen(sdn_text), NULL, 0, alt_text,
                                  alt_text ? strlen(alt_text) : 0, NULL, 0, l, err),
                     want);
}

static void quirks_and_refusals(void **state)
{
    wl_ofac_list l;
    wl_error err;
    (void)state;
    /* -0- , CRLF, 0x1A, a quote doubled inside quotes, dates of every precision */
    read_str("1,\"A \"\"B\"\" C\",-0- ,\"SDGT] [SYRIA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
             "\"DOB circa 1958; alt. DOB Apr 1965; alt. DOB 1974; alt. DOB 01 Mar 1964; "
             "Passport A123 (Syria); Vessel Registration Identification IMO 9610781.\"\r\n\x1A",
             NULL, &l, WL_OK, &err);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.entries[0].name, "A \"B\" C");
    assert_int_equal(l.entries[0].n_programs, 2);
    assert_string_equal(l.entries[0].programs[1], "SYRIA");
    assert_int_equal(l.entries[0].n_dobs, 4);
    assert_true(l.entries[0].dobs[0].circa && l.entries[0].dobs[0].year == 1958);
    assert_true(l.entries[0].dobs[1].month == 4 && l.entries[0].dobs[1].day == 0);
    assert_true(l.entries[0].dobs[2].year == 1974 && l.entries[0].dobs[2].month == 0);
    assert_true(l.entries[0].dobs[3].day == 1 && l.entries[0].dobs[3].month == 3);
    assert_int_equal(l.entries[0].n_ids, 2);
    assert_string_equal(l.entries[0].ids[0].value, "A123");
    assert_string_equal(l.entries[0].ids[1].value, "9610781");
    wl_ofac_free(&l);
    /* a broken quote: refused, named by file and line, nothing read */
    read_str("1,\"GOOD\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
             "2,\"BROKEN,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n",
             NULL, &l, WL_ERR_INVALID, &err);
    assert_string_equal(err.code, "ofac_rejected");
    assert_int_equal(l.n_rejects, 1);
    assert_string_equal(l.rejects[0].file, "sdn.csv");
    assert_int_equal(l.rejects[0].line, 2);
    assert_non_null(strstr(l.rejects[0].why, "quote"));
    wl_ofac_free(&l);
    /* every bad record reported: a type, a field count, an alias of no entry */
    read_str("1,\"A\",\"ship\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
             "2,\"B\",-0- \r\n"
             "3,\"C\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n",
             "9,1,\"aka\",\"X\",-0- \r\n3,2,\"aka\",\"C2\",-0- \r\n", &l, WL_ERR_INVALID, &err);
    assert_int_equal(l.n_rejects, 3);
    assert_non_null(strstr(l.rejects[0].why, "SDN_Type \"ship\""));
    assert_int_equal(l.rejects[1].line, 2);
    assert_non_null(strstr(l.rejects[1].why, "12 fields expected, 3 found"));
    assert_string_equal(l.rejects[2].file, "alt.csv");
    assert_non_null(strstr(l.rejects[2].why, "ent_num 9"));
    assert_non_null(strstr(err.msg, "3 records refused"));
    wl_ofac_free(&l);
    /* a file over the ceiling: refused before reading */
    assert_int_equal(wl_ofac_read("", WL_OFAC_FILE_MAX + 1u, NULL, 0, NULL, 0, NULL, 0, &l, &err),
                     WL_ERR_TOO_LARGE);
    assert_string_equal(err.code, "file_too_large");
    assert_int_equal(l.n, 0);
}

/* sdn.csv's bytes (NUL bytes among them) and alt.csv's read, refused */
static void read_bytes(const char *csv, size_t n, const char *alt_csv, wl_ofac_list *l,
                       wl_error *err)
{
    assert_int_equal(
        wl_ofac_read(csv, n, NULL, 0, alt_csv, alt_csv ? strlen(alt_csv) : 0, NULL, 0, l, err),
        WL_ERR_INVALID);
    assert_string_equal(err->code, "ofac_rejected");
}

static void bad_bytes(void **state)
{
    static const char nul[] = "1,\"IVANOV\0HIDDEN, Ivan\",individual,RU\0SSIA,-0- ,-0- ,-0- ,"
                              "-0- ,-0- ,-0- ,-0- ,-0- \r\n"
                              "2,\"GOOD, Ivan\",individual,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
                              "-0- ,\"POB Mosc\xffow\"\r\n"
                              "3,\"GOOD, Oleg\",individual,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
                              "-0- ,-0- \r\n"
                              "3,\"AGAIN, Oleg\",individual,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
                              "-0- ,-0- \r\n";
    static const char short7[] = "1,\"IVANOV, Ivan\",individual,RUSSIA,-0- ,-0- ,-0- \r\n";
    wl_ofac_list l;
    wl_error err;
    json_t *b;
    (void)state;
    /* a NUL byte would cut the name short ("IVANOV"): the record refused, by file and line;
     * bytes that are not UTF-8 named, not "out of memory"; an alias's in alt.csv too; an
     * ent_num twice at the second's line, naming the first's */
    read_bytes(nul, sizeof nul - 1, "3,1,\"aka\",\"OL\xc3\",-0- \r\n", &l, &err);
    assert_int_equal(l.n_rejects, 4);
    assert_string_equal(l.rejects[0].file, "sdn.csv");
    assert_int_equal(l.rejects[0].line, 1);
    assert_non_null(strstr(l.rejects[0].why, "a NUL byte in field 2 (SDN_Name), at its byte 7"));
    assert_int_equal(l.rejects[1].line, 2);
    assert_non_null(
        strstr(l.rejects[1].why, "field 12 (Remarks) is not UTF-8: the bytes ff 6f 77 at its"));
    assert_int_equal(l.rejects[2].line, 4);
    assert_non_null(strstr(l.rejects[2].why, "ent_num 3 twice, first at line 3"));
    assert_string_equal(l.rejects[3].file, "alt.csv");
    assert_int_equal(l.rejects[3].line, 1);
    assert_non_null(strstr(l.rejects[3].why, "field 4 is not UTF-8: the bytes c3 at its byte 3"));
    assert_null(strstr(err.msg, "memory"));
    wl_ofac_free(&l);
    /* every record refused (seven fields): nothing to sort or search (qsort, bsearch of no array:
     * UBSan) */
    read_bytes(short7, strlen(short7), "1,1,\"aka\",\"X\",-0- \r\n", &l, &err);
    assert_int_equal(l.n, 0);
    assert_int_equal(l.n_rejects, 2);
    assert_non_null(strstr(l.rejects[0].why, "12 fields expected, 7 found"));
    assert_non_null(strstr(l.rejects[1].why, "ent_num 1 is no entry of sdn.csv"));
    wl_ofac_free(&l);
    /* an entry made otherwise, its place of birth not UTF-8: the body names it */
    {
        char name[] = "IVANOV, Ivan", pob[] = "Mosc\xffow";
        wl_ofac_entry e = {.ent_num = 5, .name = name, .type = "person", .pob = pob};
        assert_int_equal(wl_ofac_body(&e, F64, "2024-05-03", &b, &err), WL_ERR_INVALID);
        assert_non_null(
            strstr(err.msg, "place of birth 1 is not UTF-8: the byte ff at its byte 5"));
        assert_null(b);
    }
}

static void allocation_failures(void **state)
{
    const char *text = "1,\"A, B\",\"individual\",\"X] [Y\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
                       "\"DOB 1974; a.k.a. 'Z'; Passport 1 (X); nationality Y.\"\r\n";
    const char *alias = "1,1,\"aka\",\"C\",-0- \r\n";
    const char *addr = "1,1,-0- ,-0- ,\"Syria\",-0- \r\n";
    const char *more = "1,\" more\"\r\n";
    wl_ofac_list l;
    wl_error err;
    (void)state;
    for (unsigned long at = 1; at < 200; at++) {
        wl_alloc_fail_at(at);
        wl_rc rc = wl_ofac_read(text, strlen(text), addr, strlen(addr), alias, strlen(alias), more,
                                strlen(more), &l, &err);
        int failed = wl_alloc_failed();
        wl_alloc_fail_at(0);
        assert_int_equal(rc == WL_ERR_NOMEM, failed);
        if (rc == WL_OK) {
            assert_int_equal(l.n, 1);
            assert_int_equal(l.entries[0].n_aliases, 2);
        }
        wl_ofac_free(&l);
        if (!failed)
            break;
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(real_files),      cmocka_unit_test(screened),
        cmocka_unit_test(as_designations), cmocka_unit_test(quirks_and_refusals),
        cmocka_unit_test(bad_bytes),       cmocka_unit_test(allocation_failures),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
