/* ddi.h - what the ntoskrnl adapters share: Wine's DDK header with the
 * WDK prototypes of ntsec/ddk.h, the layout checks that let a Windows
 * TOKEN_GROUPS / TOKEN_PRIVILEGES / PRIVILEGE_SET be read as libsec
 * arrays, and the conversion of a PACCESS_TOKEN.
 *
 * No Windows rule lives here (STYLE rule 1); helpers are static inline
 * and named emul__*, so the linker script exports none of them. */
#ifndef NTSEC_EMUL_NTOSKRNL_DDI_H
#define NTSEC_EMUL_NTOSKRNL_DDI_H

#include "../common.h"
#include <ddk/wdm.h>

#include "ntsec/ddk.h"
#include "../common.h"      /* again: its checks of the DDK layouts need ntsec/ddk.h */


/* A PACCESS_TOKEN is a native token (include/ntsec/ddk.h). */
static inline struct ntsec_token *emul__token(PACCESS_TOKEN token)
{
    return (struct ntsec_token *)token;
}

/* A PETHREAD is an emulated thread (emul/ntoskrnl/process.c). */
static inline struct ntsec_thread *emul__thread(PETHREAD thread)
{
    return (struct ntsec_thread *)thread;
}

/* The token a subject context acts with: the client (impersonation) token
 * when the context has one, else the primary token. Source: ntifs.h,
 * SeQuerySubjectContextToken ("the effective token"), and the
 * EffectiveToken() of SeAccessCheck/SePrivilegeCheck in Windows. */
static inline struct ntsec_token *emul__subject_token(const SECURITY_SUBJECT_CONTEXT *subject)
{
    return emul__token(subject->ClientToken ? subject->ClientToken : subject->PrimaryToken);
}

static inline const struct ntsec_sid_and_attributes *emul__groups(const TOKEN_GROUPS *g)
{
    return g ? (const struct ntsec_sid_and_attributes *)g->Groups : NULL;
}

static inline LUID emul__luid(struct ntsec_luid l)
{
    LUID r = { l.low, l.high };
    return r;
}

#endif
