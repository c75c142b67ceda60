/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The module registry (include/willing/module.h): every kind of every module,
 * with its rules, registered at start-up and read by the ledger, the daemon
 * and the CLI without locks after that; the authority the ledger asks; and
 * the scope rule, which needs no member state. docs/internals/ledger.md.
 */
#include <string.h>

#include "willing/module.h"

static const wl_kind *kinds[WL_KINDS_MAX];
static size_t nkinds;
static const wl_module *modules[WL_MODULES_MAX];
static size_t nmodules;
static wl_authority_fn authority;

/* A kind's descriptor makes sense: someone may write it, and its hooks fit its seal. */
static int kind_valid(const wl_kind *k)
{
    if (k->name == NULL || !wl_valid_kind(k->name, strlen(k->name)))
        return 0;
    /* someone must be able to write it, and login keys write nothing */
    if (k->scopes == 0 || (k->scopes & ~WL_SCOPES_WRITE) != 0 || (k->roles & ~WL_ROLES_ALL) != 0)
        return 0;
    if (k->seal > WL_SEAL_ONLY)
        return 0;
    if (k->seal == WL_SEAL_NEVER &&
        (k->seal_check || k->sealed_apply || k->reveal || k->sealed_id || k->sealed_subject))
        return 0;
    return k->seal != WL_SEAL_ONLY || k->apply == NULL;
}

wl_rc wl_module_register(const wl_module *m)
{
    for (size_t i = 0; i < nmodules; i++)
        if (modules[i] == m)
            return WL_OK;
    if (m->name == NULL || nmodules >= WL_MODULES_MAX || nkinds + m->nkinds > WL_KINDS_MAX)
        return WL_ERR_INVALID;
    /* all or nothing: every kind is checked before any is registered */
    for (size_t i = 0; i < m->nkinds; i++) {
        if (!kind_valid(&m->kinds[i]))
            return WL_ERR_INVALID;
        if (wl_kind_find(m->kinds[i].name) != NULL)
            return WL_ERR_CONFLICT;
        for (size_t j = 0; j < i; j++)
            if (strcmp(m->kinds[i].name, m->kinds[j].name) == 0)
                return WL_ERR_CONFLICT;
    }
    for (size_t i = 0; i < m->nkinds; i++)
        kinds[nkinds++] = &m->kinds[i];
    modules[nmodules++] = m;
    return WL_OK;
}

const wl_kind *wl_kind_find(const char *name)
{
    for (size_t i = 0; i < nkinds; i++)
        if (strcmp(kinds[i]->name, name) == 0)
            return kinds[i];
    return NULL;
}

const wl_kind *wl_kind_entry(const char *name)
{
    const wl_kind *k = wl_kind_find(name);
    return k != NULL && k->seal != WL_SEAL_ONLY ? k : NULL;
}

const wl_kind *wl_kind_sealable(const char *name)
{
    const wl_kind *k = wl_kind_find(name);
    return k != NULL && k->seal != WL_SEAL_NEVER ? k : NULL;
}

const wl_kind *wl_kind_at(size_t i)
{
    return i < nkinds ? kinds[i] : NULL;
}

wl_rc wl_authority_set(wl_authority_fn fn)
{
    if (fn == NULL || (authority != NULL && authority != fn))
        return WL_ERR_CONFLICT;
    authority = fn;
    return WL_OK;
}

wl_rc wl_authority_ask(wl_store *s, const char *member, const char *scope, const char *kind,
                       wl_error *err)
{
    if (authority == NULL)
        return wl_error_set(err, WL_ERR_INTERNAL, "no_authority",
                            "no module says who may write '%s' (wl_modules_register was not "
                            "called)",
                            kind);
    return authority(s, member, scope, kind, err);
}

unsigned wl_kind_scopes(const char *kind)
{
    const wl_kind *k = wl_kind_find(kind);
    return k != NULL ? k->scopes : 0;
}

unsigned wl_scope_bit(const char *scope)
{
    return strcmp(scope, "sign") == 0      ? WL_SCOPE_SIGN
           : strcmp(scope, "console") == 0 ? WL_SCOPE_CONSOLE
           : strcmp(scope, "login") == 0   ? WL_SCOPE_LOGIN
                                           : 0;
}

wl_rc wl_scope_check(const char *kind, const char *scope, wl_error *err)
{
    unsigned want = wl_kind_scopes(kind);
    if (wl_scope_bit(scope) & want)
        return WL_OK;
    return wl_error_set(err, WL_ERR_FORBIDDEN, "key_scope",
                        "a key of scope '%s' may not sign '%s': %s", scope, kind,
                        want == WL_SCOPES_IDENTITY
                            ? "members and keys change only with a key of scope sign"
                        : want == WL_SCOPES_WRITE ? "it needs a key of scope sign or console"
                                                  : "no key may sign it");
}

static const char *const role_names[] = {"operator", "coordinator", "member",  "host",
                                         "party",    "monitor",     "observer"};

unsigned wl_role_bit(const char *role)
{
    for (size_t i = 0; i < sizeof role_names / sizeof role_names[0]; i++)
        if (strcmp(role, role_names[i]) == 0)
            return 1u << i;
    return 0;
}

const char *wl_role_name(unsigned bit)
{
    for (size_t i = 0; i < sizeof role_names / sizeof role_names[0]; i++)
        if (bit == 1u << i)
            return role_names[i];
    return NULL;
}

int wl_valid_role(const char *s)
{
    return wl_role_bit(s) != 0;
}

int wl_valid_scope(const char *s)
{
    return wl_scope_bit(s) != 0;
}
