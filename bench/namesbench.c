/* SPDX-License-Identifier: Apache-2.0 */
/*
 * willing-namesbench [SUBJECTS]: an index of made-up list subjects (default
 * 20,000: two in five Russian names in Cyrillic, three keys each by the
 * transliterations, with a Latin alias; the others Latin "SURNAME, Given"
 * names with an alias and a date of birth), then 10,000 screenings against
 * it (lib/pressure/names*.c): half the names of listed subjects as another
 * list would spell them (ICAO, reordered, one in ten in Cyrillic), half
 * names of no one. Prints JSON for make bench (issue 12: 10,000 names over
 * more than 50,000 name keys in under 2 s). Same input every run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "benchutil.h"
#include "willing/names.h"

#define QUERIES 10000

static unsigned pick(unsigned n)
{
    return (unsigned)(uniform() * n) % n;
}

static const char *const given[] = {
    "Юрий", "Иван",  "Алексей", "Сергей", "Дмитрий", "Андрей",   "Михаил", "Николай",
    "Олег", "Павел", "Виктор",  "Игорь",  "Евгений", "Владимир", "Роман",  "Артём",
    "Анна", "Ольга", "Наталья", "Елена",  "Татьяна", "Юлия",     "Ксения", "Дарья",
};
static const char *const stems[] = {
    "Щерба", "Кузнец", "Смирн",  "Попов", "Соколь", "Лебед",    "Козл",   "Новик", "Морозь",
    "Волк",  "Зайц",   "Павл",   "Семён", "Голуб",  "Виноград", "Богдан", "Ворон", "Фёдор",
    "Жук",   "Медвед", "Степан", "Никит", "Орл",    "Андре",    "Макар",  "Тарас", "Шевч",
    "Ковал", "Бондар", "Ткач",   "Кравч", "Олейн",  "Шаповал",  "Гриш",   "Яковл", "Чернов",
};
static const char *const endings[] = {"ов", "ев", "ин", "ский", "енко", "ук", "ич", "ёв"};
static const char *const syl[] = {"ka",  "ro",  "mi",  "sa", "tel",  "an",  "bar", "du", "lo",
                                  "ze",  "fi",  "nor", "gu", "vak",  "hem", "ri",  "po", "las",
                                  "ton", "mer", "is",  "jo", "quin", "ba",  "del", "ur", "chi"};

static void latin_word(char *out, size_t cap, int upper)
{
    size_t o = 0;
    unsigned n = 2 + pick(2);
    for (unsigned i = 0; i < n; i++) {
        const char *s = syl[pick(sizeof syl / sizeof syl[0])];
        for (; *s && o + 1 < cap; s++)
            out[o++] = (char)(upper || (i == 0 && s == syl[0]) ? *s - 32 : *s);
    }
    out[o] = '\0';
    if (!upper && o)
        out[0] = (char)(out[0] - 32);
}

static void cyrillic_name(char *out, size_t cap)
{
    snprintf(out, cap, "%s%s %s %sович", stems[pick(sizeof stems / sizeof stems[0])],
             endings[pick(sizeof endings / sizeof endings[0])],
             given[pick(sizeof given / sizeof given[0])],
             stems[pick(sizeof stems / sizeof stems[0])]);
}

int main(int argc, char **argv)
{
    size_t subjects = argc > 1 ? strtoul(argv[1], NULL, 10) : 20000;
    char(*primary)[256] = calloc(subjects, 256);
    static char queries[QUERIES][256];
    static double lat[QUERIES];
    wl_names *n = NULL;
    wl_names_index *ix = NULL;
    wl_error err;
    if (!primary || wl_names_open(&n, &err) != WL_OK || wl_names_index_new(1, &ix) != WL_OK) {
        fprintf(stderr, "namesbench: %s\n", err.msg);
        return 1;
    }
    double t0 = now();
    for (size_t i = 0; i < subjects; i++) {
        char alias[256], a[64], b[64];
        wl_name_in names[2];
        wl_name_date dob = {1940 + (int)pick(60), 1 + pick(12), 1 + pick(28), 0};
        if (i % 5 < 2) {
            cyrillic_name(primary[i], sizeof primary[i]);
            latin_word(a, sizeof a, 1);
            snprintf(alias, sizeof alias, "%s Group", a);
        } else {
            latin_word(a, sizeof a, 1), latin_word(b, sizeof b, 0);
            snprintf(primary[i], sizeof primary[i], "%s, %s", a, b);
            latin_word(b, sizeof b, 0);
            snprintf(alias, sizeof alias, "%s %s", b, a);
        }
        names[0] = (wl_name_in){primary[i], 0, 0};
        names[1] = (wl_name_in){alias, 1, 0};
        wl_names_subject s = {i + 1, names, 2, &dob, 1, NULL, 0, NULL, 0};
        if (wl_names_index_add(ix, n, &s, &err) != WL_OK) {
            fprintf(stderr, "namesbench: %s (%s)\n", err.msg, primary[i]);
            return 1;
        }
    }
    double t1 = now();
    for (size_t q = 0; q < QUERIES; q++) {
        const char *p = primary[pick((unsigned)subjects)];
        if (q % 2 == 1) { /* no one's */
            char a[64], b[64];
            latin_word(a, sizeof a, 0), latin_word(b, sizeof b, 0);
            snprintf(queries[q], sizeof queries[q], "%s Qx%s", a, b);
        } else if (q % 20 == 0 || (unsigned char)p[0] < 0x80) { /* as listed, or reordered */
            char r[256];
            if (wl_names_reorder(p, strlen(p), r, sizeof r) != WL_OK)
                return 1;
            snprintf(queries[q], sizeof queries[q], "%s", r);
        } else if (wl_names_icao(p, strlen(p), queries[q], sizeof queries[q]) != WL_OK) {
            return 1;
        }
    }
    wl_names_candidate c[WL_SCREEN_LIMIT_DEFAULT];
    size_t found = 0, candidates = 0;
    double t2 = now();
    for (size_t q = 0; q < QUERIES; q++) {
        size_t count = 0;
        double a = now();
        wl_names_query query = {.name = queries[q]};
        if (wl_names_screen(n, ix, &query, c, WL_SCREEN_LIMIT_DEFAULT, &count, &err) != WL_OK) {
            fprintf(stderr, "namesbench: %s (%s)\n", err.msg, queries[q]);
            return 1;
        }
        lat[q] = (now() - a) * 1e6;
        candidates += count;
        found += q % 2 == 0 && count > 0;
    }
    double t3 = now();
    qsort(lat, QUERIES, sizeof lat[0], cmp);
    printf("{\"subjects\": %zu, \"name_keys\": %zu, \"index_seconds\": %.3f, \"screenings\": %d, "
           "\"seconds\": %.3f, \"p50_us\": %.1f, \"p99_us\": %.1f, \"listed_found\": %zu, "
           "\"listed_asked\": %d, \"candidates\": %zu}\n",
           subjects, wl_names_index_keys(ix), t1 - t0, QUERIES, t3 - t2, lat[QUERIES / 2],
           lat[QUERIES * 99 / 100], found, QUERIES / 2, candidates);
    wl_names_index_free(ix);
    wl_names_close(n);
    free(primary);
    return 0;
}
