/* machine.c - the machines of the account world: the world's own
 * ([machine]) and the other computers it knows ([host] sections, each a
 * computer account NAME$ of a domain). Every emulated process runs on one
 * of them (ntsec_process_create_on); a call between two of them is a
 * remote call (call_identity.c), and a computer account's "trusted for
 * delegation" flag decides whether a service running as LocalSystem or
 * NetworkService there may receive delegated credentials ("LocalSystem
 * Account", "NetworkService Account", Microsoft docs: these present the
 * computer's credentials on the network). */
#include <string.h>

#include "machine.h"
#include "world.h"

static void copy_name(char out[NTSEC__MACHINE_NAME_MAX + 1], const char *name, size_t len)
{
    memcpy(out, name, len);
    out[len] = 0;
}

/* A [host]'s account name is NAME$ (world_build.c): `name` names it when
 * the account's name is `name` followed by the dollar sign. */
static bool host_named(const struct ntsec__waccount *a, const char *name, size_t len)
{
    char account[NTSEC__MACHINE_NAME_MAX + 2];

    if (a->kind != NTSEC__W_HOST)
        return false;
    memcpy(account, name, len);
    account[len] = '$';
    account[len + 1] = 0;
    return ntsec__name_equal(a->name, account);
}

/* The computer account of machine `name` in `w` (the world's own machine
 * has one, NAME$ too, when it is joined to a domain), or NULL. */
static const struct ntsec__waccount *machine_account(const struct ntsec__world *w,
                                                     const char *name, size_t len)
{
    for (size_t i = 0; i < w->account_count; i++)
        if (host_named(&w->accounts[i], name, len))
            return &w->accounts[i];
    return NULL;
}

bool ntsec__machine_find(const char *name, char out[NTSEC__MACHINE_NAME_MAX + 1])
{
    const struct ntsec__world *w;
    const struct ntsec__waccount *a;
    size_t len = name ? strlen(name) : 0;
    bool found = false;

    if (!len || len > NTSEC__MACHINE_NAME_MAX)
        return false;
    w = ntsec__world_acquire();
    if (ntsec__name_equal(name, w->machine.name)) {
        copy_name(out, w->machine.name, strlen(w->machine.name));
        found = true;
    } else if ((a = machine_account(w, name, len))) {
        copy_name(out, a->name, strlen(a->name) - 1);       /* without the $ */
        found = true;
    }
    ntsec__world_release();
    return found;
}

void ntsec__machine_self(char out[NTSEC__MACHINE_NAME_MAX + 1])
{
    const struct ntsec__world *w = ntsec__world_acquire();
    size_t len = strlen(w->machine.name);

    copy_name(out, w->machine.name, len > NTSEC__MACHINE_NAME_MAX ? NTSEC__MACHINE_NAME_MAX : len);
    ntsec__world_release();
}

const struct ntsec__waccount *ntsec__machine_account(const struct ntsec__world *w,
                                                    const char *name)
{
    size_t len = name ? strlen(name) : 0;

    if (!len || len > NTSEC__MACHINE_NAME_MAX)
        return NULL;
    return machine_account(w, name, len);
}

uint32_t ntsec__machine_account_flags(const char *name)
{
    const struct ntsec__world *w = ntsec__world_acquire();
    const struct ntsec__waccount *a = ntsec__machine_account(w, name);
    uint32_t flags = 0;

    if (a)
        flags = a->flags;
    ntsec__world_release();
    return flags;
}

bool ntsec__machine_same(const char *a, const char *b)
{
    return ntsec__name_equal(a, b);
}
