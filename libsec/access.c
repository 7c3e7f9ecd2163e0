/* access.c - the access check (SeAccessCheck, NtAccessCheck,
 * AccessCheckByType, AccessCheckByTypeResultList): the checks on the
 * request, then the pipeline in Windows' order, the owner's implied
 * rights, and the final decision.
 *
 * The order, from the Microsoft documentation of SeAccessCheck and
 * AccessCheck, ReactOS ntoskrnl/se/accesschk.c (SeAccessCheck,
 * SepAccessCheckWorker; read for behaviour) and the model of chapter 7 of
 * Forshaw's "Windows Security Internals" (Figure 7-3: mandatory access
 * check, then token access check, then discretionary access check):
 *   kernel-mode caller -> the request (token type and level, generic bits,
 *   descriptor, object type list) -> client level -> desired 0 ->
 *   process trust label and mandatory integrity -> owner's implied
 *   READ_CONTROL | WRITE_DAC -> privileges -> DACL (with the
 *   restricted-SID pass) -> MAXIMUM_ALLOWED masked by the integrity check.
 * NtAccessCheck runs the privilege check before the owner; the two orders
 * differ only in which privilege is reported used for a right the owner
 * also has, and ntsec follows SeAccessCheck's.
 *
 * Nothing here allocates. The token's mutable state is read under its
 * seqlock; when a writer ran meanwhile the check runs again (and a trace,
 * if any, reports the steps of the new run from the start). */
#include <stdatomic.h>
#include <string.h>

#include "ntsec/ntsec.h"
#include "access_internal.h"

#define GENERIC_BITS (NTSEC_GENERIC_READ | NTSEC_GENERIC_WRITE | NTSEC_GENERIC_EXECUTE | \
                      NTSEC_GENERIC_ALL)
#define OWNER_IMPLIED (NTSEC_READ_CONTROL | NTSEC_WRITE_DAC)

/* --- trace -------------------------------------------------------------- */

void ntsec__access_emit(const struct ntsec__access *a, const struct ntsec_access_step *step)
{
    a->trace->step(a->trace->ctx, step);
}

void ntsec__access_emit_simple(const struct ntsec__access *a, enum ntsec_access_step_kind kind,
                               uint32_t bits, const struct ntsec_sid *sid, const char *why)
{
    struct ntsec_access_step s = {
        .kind = kind, .ace_index = -1, .sid = sid, .bits = bits,
        .mask = a->previously, .status = NTSEC_STATUS_SUCCESS, .why = why,
    };

    ntsec__access_emit(a, &s);
}

static void emit_result(const struct ntsec_access_trace *trace, uint32_t granted,
                        ntsec_status status, const char *why)
{
    struct ntsec_access_step s = {
        .kind = NTSEC_STEP_RESULT, .ace_index = -1, .bits = granted, .mask = granted,
        .status = status, .why = why,
    };

    if (trace)
        trace->step(trace->ctx, &s);
}

/* --- results ------------------------------------------------------------ */

/* The decision from what the DACL (or its absence) granted: every
 * explicitly asked bit must be granted; with MAXIMUM_ALLOWED the grant is
 * everything allowed, cut to what the integrity check lets through, and
 * nothing at all is a denial. On denial GrantedAccess is 0 (AccessCheck,
 * Microsoft docs; SeAccessCheck: "GrantedAccess ... 0 when access is
 * denied"). Sources: ReactOS SepAccessCheckWorker (MAXIMUM_ALLOWED: every
 * explicit bit must be granted, nothing granted is ACCESS_DENIED); Forshaw,
 * Windows Security Internals ch. 7, Listing 7-11 (a MAXIMUM_ALLOWED check
 * below the object's label gets only what the label allows). */
static void decide(const struct ntsec__access *a, uint32_t dacl_granted, uint32_t *granted,
                   ntsec_status *status)
{
    uint32_t explicit = a->desired & ~NTSEC_MAXIMUM_ALLOWED;
    uint32_t g = dacl_granted | a->previously;
    bool ok;

    if (a->maximum) {
        g &= a->mandatory_allowed;
        ok = (g & explicit) == explicit && g != 0;
    } else {
        ok = (g & explicit) == explicit;
        g = explicit | a->previously;
    }
    *granted = ok ? g : 0;
    *status = ok ? NTSEC_STATUS_SUCCESS : NTSEC_STATUS_ACCESS_DENIED;
}

void ntsec__access_decide(const struct ntsec__access *a, uint32_t dacl_granted,
                          uint32_t *granted, ntsec_status *status)
{
    decide(a, dacl_granted, granted, status);
}

static void finish(struct ntsec__access *a, uint32_t granted, ntsec_status status)
{
    a->granted = granted;
    a->status = status;
    ntsec__access_fill_list(a);
}

void ntsec__access_fill_list(const struct ntsec__access *a)
{
    const struct ntsec_access_request *rq = a->rq;

    if (!(rq->flags & NTSEC_ACCESS_RESULT_LIST))
        return;
    for (uint32_t i = 0; i < rq->object_type_count; i++) {
        a->result_list_granted[i] = a->granted;
        a->result_list_status[i] = a->status;
    }
}

/* --- the owner ---------------------------------------------------------- */

/* The owner of an object may always read and change its DACL: READ_CONTROL
 * and WRITE_DAC are granted when the SD's owner is the token's user or an
 * enabled group (and, for a restricted token, also an enabled restricted
 * SID), unless the DACL has an ACE for OWNER RIGHTS (S-1-3-4), whose ACEs
 * then say what the owner may do. Only looked at when one of those rights
 * or MAXIMUM_ALLOWED is asked.
 * Sources: "How DACLs Control Access to an Object" and SeAccessCheck
 * (Microsoft docs); [MS-DTYP] 2.5.3.2 (empty DACL: "except through the
 * implied access of the owner"); Forshaw, Windows Security Internals ch. 7,
 * Listings 7-15/7-16 (OWNER RIGHTS) and 7-19 (a restricted token's owner
 * must also be a restricted SID; likewise ReactOS SepTokenIsOwner); Samba
 * libcli/security/access_check.c (the OWNER RIGHTS scan passes over
 * inherit-only ACEs). */
static void owner_rights(struct ntsec__access *a)
{
    const struct ntsec_sid *owner = a->sd.owner;
    uint32_t hash, bits;

    if (!(a->desired & (NTSEC_MAXIMUM_ALLOWED | OWNER_IMPLIED)))
        return;
    hash = ntsec__sid_hash(owner);
    if (ntsec__access_sid_match(a->token, owner, hash, false, false) != NTSEC__SID_MATCH)
        return;
    if (a->restricted &&
        ntsec__access_sid_match(a->token, owner, hash, false, true) != NTSEC__SID_MATCH) {
        if (a->trace)
            ntsec__access_emit_simple(a, NTSEC_STEP_OWNER, 0, owner,
                                      "the token owns the object, but the owner is not among "
                                      "its restricted SIDs");
        return;
    }
    if ((a->sd.control & NTSEC_SE_DACL_PRESENT) && a->sd.dacl &&
        ntsec__access_dacl_has_owner_rights(a->sd.dacl)) {
        if (a->trace)
            ntsec__access_emit_simple(a, NTSEC_STEP_OWNER, 0, owner,
                                      "the DACL has OWNER RIGHTS entries: they replace the "
                                      "owner's implied rights");
        return;
    }
    bits = a->maximum ? OWNER_IMPLIED : a->desired & OWNER_IMPLIED;
    a->previously |= bits;
    a->remaining &= ~OWNER_IMPLIED;
    if (a->trace)
        ntsec__access_emit_simple(a, NTSEC_STEP_OWNER, bits, owner,
                                  "the token owns the object");
}

/* --- one run ------------------------------------------------------------ */

/* The steps that read the token. Returns the status of the call (a
 * malformed label ACE fails it); the decision is in a->granted/status. */
static ntsec_status run(struct ntsec__access *a)
{
    const struct ntsec_access_request *rq = a->rq;
    ntsec_status st = NTSEC_STATUS_SUCCESS;

    a->previously = rq->previously_granted;
    a->remaining = a->desired & ~NTSEC_MAXIMUM_ALLOWED & ~a->previously;
    a->mandatory_allowed = UINT32_MAX;
    a->privileges_used = 0;

    if (!ntsec__access_mandatory(a, &st)) {
        if (ntsec_success(st))
            finish(a, 0, NTSEC_STATUS_ACCESS_DENIED);
        return st;
    }

    owner_rights(a);
    if (!a->remaining && !a->maximum) {
        finish(a, (a->desired & ~NTSEC_MAXIMUM_ALLOWED) | a->previously, NTSEC_STATUS_SUCCESS);
        return st;
    }

    if (!ntsec__access_privileges(a)) {
        finish(a, 0, NTSEC_STATUS_PRIVILEGE_NOT_HELD);
        return st;
    }
    if (!a->remaining && !a->maximum) {
        finish(a, (a->desired & ~NTSEC_MAXIMUM_ALLOWED) | a->previously, NTSEC_STATUS_SUCCESS);
        return st;
    }

    /* No DACL (absent, or present and NULL) grants everything asked, and
     * the mapping's GenericAll for MAXIMUM_ALLOWED. Sources: "How DACLs
     * Control Access to an Object" (Microsoft docs); [MS-DTYP] 2.5.3.2;
     * Windows result asserted by Wine's test_AccessCheck (NULL DACL and
     * MAXIMUM_ALLOWED give KEY_ALL_ACCESS). */
    if (!(a->sd.control & NTSEC_SE_DACL_PRESENT) || !a->sd.dacl) {
        uint32_t granted;
        ntsec_status status;

        if (a->trace)
            ntsec__access_emit_simple(a, NTSEC_STEP_NO_DACL,
                                      a->maximum ? a->mapping.all : a->remaining, NULL,
                                      (a->sd.control & NTSEC_SE_DACL_PRESENT)
                                          ? "the DACL is NULL: no protection"
                                          : "the descriptor has no DACL: no protection");
        decide(a, a->mapping.all | (a->desired & ~NTSEC_MAXIMUM_ALLOWED), &granted, &status);
        finish(a, granted, status);
        return st;
    }

    ntsec__access_dacl(a);
    return st;
}

/* --- the request ---------------------------------------------------------- */

static bool guid_equal(const struct ntsec_guid *x, const struct ntsec_guid *y)
{
    return x->data1 == y->data1 && x->data2 == y->data2 && x->data3 == y->data3 &&
           !memcmp(x->data4, y->data4, sizeof x->data4);
}

/* An OBJECT_TYPE_LIST is a tree in preorder: the first entry is the object
 * itself at level 0 and the only one at that level; each next entry is at
 * most one level deeper than the previous; no level above ACCESS_MAX_LEVEL
 * (4). Anything else is STATUS_INVALID_PARAMETER. Sources: AccessCheckByType
 * and OBJECT_TYPE_LIST (Microsoft docs; [MS-DTYP] OBJECT_TYPE_LIST: "a
 * maximum of five levels numbered zero through four"); Windows results asserted by ReactOS apitest
 * NtAccessCheckByType.c, ParamsValidationTests (first entry not the root,
 * two roots, level 0xa, a level skipped: STATUS_INVALID_PARAMETER). Two
 * entries with the same GUID are refused too: the ACE that names that GUID
 * could not tell which node it means (ntsec's choice; no public source
 * found for what Windows does). */
static bool object_types_valid(const struct ntsec_object_type_entry *types, uint32_t count)
{
    for (uint32_t i = 0; i < count; i++) {
        if (!types[i].guid || types[i].level > 4)
            return false;
        if (i == 0 ? types[i].level != 0
                   : types[i].level == 0 || types[i].level > types[i - 1].level + 1)
            return false;
        for (uint32_t j = 0; j < i; j++)
            if (guid_equal(types[i].guid, types[j].guid))
                return false;
    }
    return true;
}

/* RtlValidSecurityDescriptor's rules (ntsec_sd_is_valid) on the parts
 * read once, and an owner and a group, which AccessCheck requires
 * ("The security descriptor must include owner, group, and DACL"; Windows
 * result asserted by Wine's test_AccessCheck: ERROR_INVALID_SECURITY_DESCR
 * without them). */
static bool sd_valid(const void *sd, struct ntsec__sd_parts *p)
{
    return ntsec_success(ntsec__sd_parts(sd, NTSEC__SD_SIZE_TRUSTED, p)) &&
           p->revision == NTSEC_SD_REVISION && p->owner && p->group &&
           ntsec_sid_is_valid(p->owner) && ntsec_sid_is_valid(p->group) &&
           (!p->dacl || ntsec_acl_is_valid(p->dacl)) && (!p->sacl || ntsec_acl_is_valid(p->sacl));
}

/* The checks on the request itself, in NtAccessCheck's order (ReactOS
 * accesschk.c SepAccessCheck; Windows results asserted by ReactOS apitest
 * NtAccessCheckByType.c ParamsValidationTests and by Wine's
 * test_AccessCheck: a primary token fails with ERROR_NO_IMPERSONATION_TOKEN,
 * an anonymous one with ERROR_BAD_IMPERSONATION_LEVEL, generic bits with
 * ERROR_GENERIC_NOT_MAPPED, a descriptor without owner or group with
 * ERROR_INVALID_SECURITY_DESCR; none changes the outputs). */
static ntsec_status check_request(struct ntsec__access *a, struct ntsec_access_result *result)
{
    const struct ntsec_access_request *rq = a->rq;
    const struct ntsec_token *t = rq->token;

    if (!t)
        return NTSEC_STATUS_INVALID_PARAMETER;
    /* NtAccessCheck wants a client's token, at Identification or above
     * (AccessCheck: "ClientToken ... an impersonation token"). */
    if (rq->flags & NTSEC_ACCESS_NEED_IMPERSONATION) {
        if (t->type != NTSEC_TOKEN_IMPERSONATION)
            return NTSEC_STATUS_NO_IMPERSONATION_TOKEN;
        if (t->level < NTSEC_SECURITY_IDENTIFICATION)
            return NTSEC_STATUS_BAD_IMPERSONATION_LEVEL;
    }
    /* SeAccessCheck on a subject context: a client below
     * SecurityImpersonation cannot be used to open objects (Microsoft docs,
     * SeAccessCheck, AccessStatus). The level is the context's - the level
     * the thread impersonates at, which can be lower than its token's own
     * (PsImpersonateClient stores the level it is given) - and it is
     * judged before the descriptor is read. */
    if ((rq->flags & NTSEC_ACCESS_CHECK_CLIENT_LEVEL) && rq->client_level < NTSEC_SECURITY_IMPERSONATION)
        return NTSEC_STATUS_BAD_IMPERSONATION_LEVEL;
    /* NtAccessCheck refuses generic bits in DesiredAccess (ReactOS apitest
     * NtAccessCheckByType.c: GENERIC_WRITE gives STATUS_GENERIC_NOT_MAPPED).
     * SeAccessCheck leaves the mapping to its caller and grants only the
     * bits as given: ntsec's choice; no public source found (ReactOS's
     * SepAccessCheckWorker maps them with the GenericMapping instead). */
    if ((rq->flags & NTSEC_ACCESS_REJECT_GENERIC) && (rq->desired & GENERIC_BITS))
        return NTSEC_STATUS_GENERIC_NOT_MAPPED;
    if (!rq->sd || !sd_valid(rq->sd, &a->sd))
        return NTSEC_STATUS_INVALID_SECURITY_DESCR;
    if (rq->object_type_count && !rq->object_types)
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (!object_types_valid(rq->object_types, rq->object_type_count))
        return NTSEC_STATUS_INVALID_PARAMETER;
    if ((rq->flags & NTSEC_ACCESS_RESULT_LIST) &&
        (!rq->object_type_count || !result->granted_list || !result->status_list))
        return NTSEC_STATUS_INVALID_PARAMETER;
    return NTSEC_STATUS_SUCCESS;
}

static void write_result(const struct ntsec__access *a, struct ntsec_access_result *result)
{
    result->granted = a->granted;
    result->status = a->status;
    result->privileges_used = ntsec_success(a->status) ? a->privileges_used : 0;
}

ntsec_status ntsec_access_check(const struct ntsec_access_request *rq,
                                struct ntsec_access_result *result)
{
    struct ntsec__access a;
    ntsec_status st;
    uint32_t seq;

    if (!rq || !result)
        return NTSEC_STATUS_INVALID_PARAMETER;
    memset(&a, 0, sizeof a);
    a.rq = rq;
    a.token = rq->token;
    a.trace = rq->trace;
    if (rq->mapping)
        a.mapping = *rq->mapping;
    a.desired = rq->desired;
    a.maximum = rq->desired & NTSEC_MAXIMUM_ALLOWED;
    a.result_list_granted = result->granted_list;
    a.result_list_status = result->status_list;

    /* A kernel-mode caller is granted everything without a look at the
     * descriptor; MAXIMUM_ALLOWED stands for the mapping's GenericAll
     * (SeAccessCheck, Microsoft docs, AccessMode and GrantedAccess: "GENERIC_ALL
     * plus any additional access the caller explicitly requests"; ReactOS
     * accesschk.c SeAccessCheck). */
    if (rq->flags & NTSEC_ACCESS_KERNEL_MODE) {
        uint32_t g = rq->previously_granted | (rq->desired & ~NTSEC_MAXIMUM_ALLOWED);

        if (a.maximum)
            g |= a.mapping.all;
        if ((rq->flags & NTSEC_ACCESS_RESULT_LIST) &&
            (!rq->object_type_count || !rq->object_types || !result->granted_list ||
             !result->status_list))
            return NTSEC_STATUS_INVALID_PARAMETER;
        if (a.trace)
            ntsec__access_emit_simple(&a, NTSEC_STEP_KERNEL_MODE, g, NULL,
                                      "the caller runs in kernel mode");
        finish(&a, g, NTSEC_STATUS_SUCCESS);
        emit_result(a.trace, a.granted, a.status, NULL);
        write_result(&a, result);
        return NTSEC_STATUS_SUCCESS;
    }

    st = check_request(&a, result);
    if (!ntsec_success(st))
        return st;
    a.restricted = a.token->restricted_count != 0;

    /* Nothing asked: success with what was granted before, or a denial
     * when that is nothing (ReactOS accesschk.c, SeAccessCheck and
     * SepAccessCheckWorker). */
    if (!rq->desired) {
        if (a.trace)
            ntsec__access_emit_simple(&a, NTSEC_STEP_EMPTY_REQUEST, rq->previously_granted, NULL,
                                      rq->previously_granted ? "nothing more was asked"
                                                             : "nothing was asked");
        finish(&a, rq->previously_granted,
               rq->previously_granted ? NTSEC_STATUS_SUCCESS : NTSEC_STATUS_ACCESS_DENIED);
        emit_result(a.trace, a.granted, a.status, NULL);
        write_result(&a, result);
        return NTSEC_STATUS_SUCCESS;
    }

    do {
        seq = ntsec__token_read_begin(a.token);
        st = run(&a);
    } while (ntsec__token_read_retry(a.token, seq));
    if (!ntsec_success(st))
        return st;
    emit_result(a.trace, a.granted, a.status, NULL);
    write_result(&a, result);
    return NTSEC_STATUS_SUCCESS;
}
