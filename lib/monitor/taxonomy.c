/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The monitor module's taxonomy (include/willing/monitor.h): the report
 * types after the OSCE SMM's daily reports (ceasefire violations, weapons in
 * violation of the withdrawal lines, restrictions of freedom of movement,
 * damage to civilian infrastructure, civilian casualties), the restrictions,
 * the weapon types, the compass points, and the oblasts of data/geo by a
 * short ASCII id. The one list of each: the rules, the views, the CLI's
 * usage and docs/FORMAT.md follow it. docs/internals/monitor.md ("A report").
 */
#include <string.h>

#include "willing/monitor.h"

const char *const wl_monitor_types[] = {"explosion",
                                        "projectile",
                                        "muzzle_flash",
                                        "bursts_shots",
                                        "weapon_in_violation",
                                        "restriction",
                                        "civilian_infrastructure_damage",
                                        "civilian_casualties",
                                        NULL};

const char *const wl_monitor_restrictions[] = {"denial",      "delay",         "conditional",
                                               "jamming_gps", "jamming_drone", NULL};

const char *const wl_monitor_weapons[] = {
    "tank",        "artillery",        "mlrs",  "mortar", "anti_tank",
    "air_defence", "armoured_vehicle", "other", NULL};

const char *const wl_monitor_directions[] = {"N", "NE", "E", "SE", "S", "SW", "W", "NW", NULL};

/* The oblasts of data/geo/ukraine-oblasts.geojson (its ADMIN_1), by id; in id order. */
static const struct {
    const char *id, *name;
} oblasts[] = {
    {"cherkasy", "Черкаська область"},
    {"chernihiv", "Чернігівська область"},
    {"chernivtsi", "Чернівецька область"},
    {"crimea", "Автономна Республіка Крим"},
    {"dnipropetrovsk", "Дніпропетровська область"},
    {"donetsk", "Донецька область"},
    {"ivano-frankivsk", "Івано-Франківська область"},
    {"kharkiv", "Харківська область"},
    {"kherson", "Херсонська область"},
    {"khmelnytskyi", "Хмельницька область"},
    {"kirovohrad", "Кіровоградська область"},
    {"kyiv", "Київська область"},
    {"kyiv-city", "Місто Київ"},
    {"luhansk", "Луганська область"},
    {"lviv", "Львівська область"},
    {"mykolaiv", "Миколаївська область"},
    {"odesa", "Одеська область"},
    {"poltava", "Полтавська область"},
    {"rivne", "Рівненська область"},
    {"sevastopol", "Місто Севастополь"},
    {"sumy", "Сумська область"},
    {"ternopil", "Тернопільська область"},
    {"vinnytsia", "Вінницька область"},
    {"volyn", "Волинська область"},
    {"zakarpattia", "Закарпатська область"},
    {"zaporizhzhia", "Запорізька область"},
    {"zhytomyr", "Житомирська область"},
};

bool wl_monitor_in(const char *const *list, const char *s)
{
    for (size_t i = 0; s && list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}

const char *wl_monitor_oblast_name(const char *id)
{
    for (size_t i = 0; id && i < sizeof oblasts / sizeof oblasts[0]; i++)
        if (strcmp(oblasts[i].id, id) == 0)
            return oblasts[i].name;
    return NULL;
}

const char *wl_monitor_oblast_at(size_t i, const char **name)
{
    if (i >= sizeof oblasts / sizeof oblasts[0])
        return NULL;
    *name = oblasts[i].name;
    return oblasts[i].id;
}
