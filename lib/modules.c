/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Every module of this build, in one place: the ledger's own kinds, identity
 * (which is also the authority the ledger asks), the coalition, flows, the deal
 * and its zones, the monitors' reports, history (UCDP's events), pressure (sanctions designations).
 * A new module adds its descriptor to the list below (docs/ARCHITECTURE.md, "adding a module").
 */
#include "willing/coalition.h"
#include "willing/deal.h"
#include "willing/flows.h"
#include "willing/history.h"
#include "willing/identity.h"
#include "willing/ledger.h"
#include "willing/monitor.h"
#include "willing/pressure.h"
#include "willing/reference.h"
#include "willing/zones.h"

wl_rc wl_modules_register(void)
{
    static const wl_module *const all[] = {
        &wl_ledger_module,  &wl_identity_module, &wl_coalition_module, &wl_reference_module,
        &wl_flows_module,   &wl_deal_module,     &wl_zones_module,     &wl_monitor_module,
        &wl_history_module, &wl_pressure_module};
    wl_rc rc = wl_authority_set(wl_authorize);
    for (size_t i = 0; rc == WL_OK && i < sizeof all / sizeof all[0]; i++)
        rc = wl_module_register(all[i]);
    return rc;
}
