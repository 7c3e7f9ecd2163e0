/* ntsec/access.h - the access check (SeAccessCheck, NtAccessCheck,
 * AccessCheckByType, AccessCheckByTypeResultList).
 *
 * One engine serves every caller: the options say which of Windows' entry
 * points it stands for. It allocates nothing. With a trace sink it reports
 * each step (the rule or ACE, the SID that matched or why an ACE was
 * skipped, the bits it granted or denied); without one it does not pay
 * for that. */
#ifndef NTSEC_ACCESS_H
#define NTSEC_ACCESS_H

#include <stdbool.h>
#include <stdint.h>

#include "ntsec/acl.h"
#include "ntsec/token.h"
#include "ntsec/status.h"

struct ntsec_object_type_entry {        /* OBJECT_TYPE_LIST (x64: 16 bytes) */
    uint16_t level;                     /* ACCESS_OBJECT_GUID 0 .. ACCESS_MAX_LEVEL 4 */
    uint16_t sbz;
    const struct ntsec_guid *guid;
};

/* Which Windows entry point the check stands for, and its options. */
enum ntsec_access_flags {
    /* AccessMode == KernelMode in SeAccessCheck: everything is granted
     * without looking at the descriptor. */
    NTSEC_ACCESS_KERNEL_MODE          = 0x01,
    /* SeAccessCheck on a subject context with a client token:
     * `client_level` (the context's ImpersonationLevel) below
     * SecurityImpersonation fails with STATUS_BAD_IMPERSONATION_LEVEL. */
    NTSEC_ACCESS_CHECK_CLIENT_LEVEL   = 0x02,
    /* NtAccessCheck*: the token must be an impersonation token
     * (STATUS_NO_IMPERSONATION_TOKEN) - AccessCheck on a primary token. */
    NTSEC_ACCESS_NEED_IMPERSONATION   = 0x04,
    /* Fill one result per object type (AccessCheckByTypeResultList). */
    NTSEC_ACCESS_RESULT_LIST          = 0x08,
    /* The caller asked with backup/restore intent (FILE_OPEN_FOR_BACKUP_INTENT):
     * SeBackupPrivilege / SeRestorePrivilege grant their rights. */
    NTSEC_ACCESS_BACKUP_INTENT        = 0x10,
    /* NtAccessCheck* reject unmapped generic bits in the desired mask
     * (STATUS_GENERIC_NOT_MAPPED); SeAccessCheck leaves that to the caller. */
    NTSEC_ACCESS_REJECT_GENERIC       = 0x20,
};

/* One step of the check, for the explain trace. */
enum ntsec_access_step_kind {
    NTSEC_STEP_KERNEL_MODE,             /* everything granted: kernel-mode caller */
    NTSEC_STEP_NO_DACL,                 /* NULL or absent DACL: everything granted */
    NTSEC_STEP_EMPTY_REQUEST,           /* desired 0 */
    NTSEC_STEP_GENERIC_MAPPED,          /* desired generic bits mapped */
    NTSEC_STEP_INTEGRITY,               /* mandatory label: bits refused from below */
    NTSEC_STEP_PRIVILEGE,               /* a privilege granted bits (or was missing) */
    NTSEC_STEP_OWNER,                   /* owner's implied READ_CONTROL | WRITE_DAC */
    NTSEC_STEP_ACE_SKIPPED,             /* an ACE that did not apply, and why */
    NTSEC_STEP_ACE_ALLOWED,             /* an allow ACE granted bits */
    NTSEC_STEP_ACE_DENIED,              /* a deny ACE denied bits */
    NTSEC_STEP_RESTRICTED_PASS,         /* start of the restricted-SID pass */
    NTSEC_STEP_RESULT,                  /* final granted mask and status */
};

struct ntsec_access_step {
    enum ntsec_access_step_kind kind;
    bool restricted_pass;               /* during the restricted-SID pass */
    int ace_index;                      /* for ACE steps; -1 otherwise */
    const struct ntsec_ace_header *ace; /* for ACE steps */
    const struct ntsec_sid *sid;        /* the SID that matched (ACE, owner) */
    struct ntsec_luid privilege;        /* for PRIVILEGE steps */
    uint32_t bits;                      /* bits granted, denied or refused */
    uint32_t mask;                      /* for RESULT: granted; else the running grant */
    ntsec_status status;                /* for RESULT */
    const char *why;                    /* static English: why skipped, etc. */
};

struct ntsec_access_trace {
    void (*step)(void *ctx, const struct ntsec_access_step *step);
    void *ctx;
};

struct ntsec_access_request {
    const void *sd;                                 /* either form */
    const struct ntsec_token *token;                /* the effective (client) token */
    uint32_t desired;
    uint32_t previously_granted;
    const struct ntsec_generic_mapping *mapping;
    const struct ntsec_sid *principal_self;         /* stands for S-1-5-10; NULL: none */
    const struct ntsec_object_type_entry *object_types;
    uint32_t object_type_count;
    uint32_t flags;                                 /* enum ntsec_access_flags */
    enum ntsec_impersonation_level client_level;    /* with NTSEC_ACCESS_CHECK_CLIENT_LEVEL */
    const struct ntsec_access_trace *trace;         /* NULL: no trace */
};

struct ntsec_access_result {
    uint32_t granted;                   /* 0 when denied */
    ntsec_status status;                /* SUCCESS, ACCESS_DENIED, PRIVILEGE_NOT_HELD */
    uint64_t privileges_used;           /* bit n: privilege LUID n granted something */
    uint32_t *granted_list;             /* caller arrays of object_type_count entries, */
    ntsec_status *status_list;          /* filled with NTSEC_ACCESS_RESULT_LIST */
};

/* Run the check. The return value is the status of the call itself
 * (NTSEC_STATUS_INVALID_SECURITY_DESCR for a bad or ownerless descriptor,
 * NTSEC_STATUS_GENERIC_NOT_MAPPED, NTSEC_STATUS_NO_IMPERSONATION_TOKEN,
 * NTSEC_STATUS_BAD_IMPERSONATION_LEVEL, NTSEC_STATUS_INVALID_PARAMETER for
 * a bad object type list); when it is a success, `result` holds the access
 * decision as NtAccessCheck's GrantedAccess and AccessStatus. */
ntsec_status ntsec_access_check(const struct ntsec_access_request *request,
                                struct ntsec_access_result *result);

/* One trace step in words, for people learning access control. Returns the
 * length needed without the NUL, as snprintf. */
size_t ntsec_access_step_describe(const struct ntsec_access_step *step,
                                  const struct ntsec_sid *domain, char *buf, size_t size);

#endif
