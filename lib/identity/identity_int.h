/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private to lib/identity: the member half of wl_authorize (status, role x
 * kind), for sealed content whose key scope its caller checked already.
 */
#ifndef WILLING_IDENTITY_INT_H
#define WILLING_IDENTITY_INT_H

#include "willing/identity.h"

wl_rc wl_identity_author_may(wl_store *s, const char *member, const char *kind,
                             wl_error *err) WL_MUST;

#endif
