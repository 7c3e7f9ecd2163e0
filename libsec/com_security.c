/* com_security.c - a process' COM security settings: CoInitializeSecurity,
 * explicit once, or implicit with the machine defaults.
 *
 * Sources (Microsoft docs): "CoInitializeSecurity" (CIS), "Setting
 * Processwide Security with CoInitializeSecurity", "COM Security
 * Defaults" (DEF), "EOLE_AUTHENTICATION_CAPABILITIES" (EOAC); EOAC_APPID's
 * registry values are com_appid.c's. Where the
 * pages say only that the call "fails" or the value is "not for use",
 * E_INVALIDARG is ntsec's choice (CIS lists it among the standard
 * results); docs/com.md marks each such rule. */
#include "alloc.h"
#include "com.h"
#include "ntsec/ntsec.h"

#define SE_SELF_RELATIVE 0x8000u
#define SE_SACL_PRESENT  0x0010u

/* DEF: with nothing configured the machine-wide default authentication
 * level is CONNECT and the impersonation level IDENTIFY, capabilities
 * none, and no access permission list of our own (ntsec: everyone). */
void ntsec__com_secure_implicitly(struct com_process *p)
{
    if (p->secured)
        return;
    p->secured = true;
    p->authn_level = NTSEC_AUTHN_LEVEL_CONNECT;
    p->imp_level = NTSEC_RPC_IMP_LEVEL_IDENTIFY;
    p->capabilities = NTSEC_EOAC_NONE;
}

/* An absolute SD with owner and group and no SACL (CIS, pSecDesc). */
static bool access_sd_ok(const struct ntsec_sd_absolute *sd)
{
    return ntsec_sd_is_valid(sd) && !(sd->control & SE_SELF_RELATIVE) && sd->owner &&
           sd->group && !(sd->control & SE_SACL_PRESENT);
}

/* The argument rules; true when they hold. */
static bool args_ok(const struct ntsec_com_security_args *a)
{
    const uint32_t caps = a->capabilities;
    const bool appid = caps & NTSEC_EOAC_APPID;
    const bool acl = caps & NTSEC_EOAC_ACCESS_CONTROL;

    if (a->reserved1 || a->reserved3)
        return false;                           /* CIS: "must be NULL" */
    if (appid)  /* EOAC: both flags fail; the others "are ignored and must be zero" */
        return !acl && !a->auth_svc && !a->auth_list;
    if (a->auth_svc_count < -1 || (a->auth_svc_count == -1 && a->auth_svc) ||
        (a->auth_svc_count > 0 && !a->auth_svc))
        return false;                           /* CIS, cAuthSvc */
    if (a->authn_level > NTSEC_AUTHN_LEVEL_PKT_PRIVACY)
        return false;                           /* not an RPC_C_AUTHN_LEVEL_* */
    if (a->imp_level < NTSEC_RPC_IMP_LEVEL_ANONYMOUS || a->imp_level > NTSEC_RPC_IMP_LEVEL_DELEGATE)
        return false;                           /* CIS: DEFAULT "is not for use" */
    if ((caps & NTSEC_EOAC_STATIC_CLOAKING) && (caps & NTSEC_EOAC_DYNAMIC_CLOAKING))
        return false;                           /* EOAC: cannot both be set */
    if (acl)
        return false;                           /* IAccessControl: see docs/com.md */
    if ((caps & NTSEC_EOAC_SECURE_REFS) && a->authn_level == NTSEC_AUTHN_LEVEL_NONE)
        return false;                           /* EOAC: SECURE_REFS needs a level */
    return !a->security_descriptor || access_sd_ok(a->security_descriptor);
}

ntsec_hresult ntsec_com_initialize_security(const struct ntsec_com_security_args *args)
{
    struct com_process *p = ntsec__com_thread.proc;
    void *sd = NULL;
    uint32_t size;
    ntsec_hresult hr = NTSEC_S_OK;

    if (!p)
        return NTSEC_CO_E_NOTINITIALIZED;
    if (!args || !args_ok(args))
        return NTSEC_E_INVALIDARG;
    if (args->security_descriptor && !(args->capabilities & NTSEC_EOAC_APPID) &&
        !ntsec_success(ntsec_sd_duplicate_relative(args->security_descriptor, &sd, &size)))
        return NTSEC_E_OUTOFMEMORY;
    pthread_mutex_lock(&ntsec__com_lock);
    if (p->secured) {
        hr = NTSEC_RPC_E_TOO_LATE;              /* CIS: once per process */
    } else if (args->capabilities & NTSEC_EOAC_APPID) {
        /* pSecDesc is the AppID's GUID: its registry values (com_appid.c) */
        hr = ntsec__com_appid_apply(p, args->security_descriptor);
    } else {
        p->secured = true;
        /* DEFAULT: "COM will choose", never below CONNECT (DEF). */
        p->authn_level = args->authn_level == NTSEC_AUTHN_LEVEL_DEFAULT ? NTSEC_AUTHN_LEVEL_CONNECT
                                                                        : args->authn_level;
        p->imp_level = args->imp_level;
        p->capabilities = args->capabilities;
        p->access_sd = sd;
        sd = NULL;
    }
    pthread_mutex_unlock(&ntsec__com_lock);
    ntsec_mem_free(sd);
    return hr;
}
