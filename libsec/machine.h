/* machine.h - the machines of the account world, for the files that place
 * processes on them (process.c) and decide what a call between them
 * carries (call_identity.c). */
#ifndef NTSEC_LIBSEC_MACHINE_H
#define NTSEC_LIBSEC_MACHINE_H

#include <stdbool.h>
#include <stdint.h>

/* A NetBIOS computer name: at most 15 characters (world_build.c). */
#define NTSEC__MACHINE_NAME_MAX 15

/* The machine `name` names (compared without case): the world's own, or
 * a [host] of it. True, with its name as the world spells it in `out`,
 * when there is one. */
bool ntsec__machine_find(const char *name, char out[NTSEC__MACHINE_NAME_MAX + 1]);

/* The world's own machine's name. */
void ntsec__machine_self(char out[NTSEC__MACHINE_NAME_MAX + 1]);

struct ntsec__world;
struct ntsec__waccount;

/* The computer account NAME$ of machine `name` in `w` (held by the
 * caller with ntsec__world_acquire), or NULL: none (a world not joined to
 * a domain has none for its own machine), or not a machine name. */
const struct ntsec__waccount *ntsec__machine_account(const struct ntsec__world *w,
                                                    const char *name);

/* The flags (NTSEC_ACCOUNT_*) of machine `name`'s computer account
 * NAME$; 0 when it has none (a world not joined to a domain, or a
 * machine the world no longer knows). */
uint32_t ntsec__machine_account_flags(const char *name);

/* Whether two machine names name the same machine. */
bool ntsec__machine_same(const char *a, const char *b);

#endif
