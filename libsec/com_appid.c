/* com_appid.c - the AppID registry of the emulation: the values COM
 * security reads under HKEY_LOCAL_MACHINE\SOFTWARE\Classes\AppID\{guid}
 * (AuthenticationLevel, AccessPermission), and whether the application is
 * a COM+ library application; how CoInitializeSecurity with EOAC_APPID
 * and the export of an application's component use them.
 *
 * Sources (Microsoft docs): "EOLE_AUTHENTICATION_CAPABILITIES" (EOAC,
 * EOAC_APPID and Remarks), "CoInitializeSecurity" (CIS, Remarks),
 * "AppID Key", "AccessPermission", "AuthenticationLevel", "COM Security
 * Defaults" (DEF), "Setting Process-Wide Security Through the Registry"
 * (REG), "COM+ Library Applications" / "Activation Type" (COM+).
 * docs/com.md, "AppIDs", lists each rule and ntsec's choices. */
#include <string.h>

#include "alloc.h"
#include "com.h"
#include "ntsec/ntsec.h"

struct appid_entry {
    struct appid_entry *next;
    uint8_t guid[16];
    uint32_t authn_level;               /* 0: AuthenticationLevel absent */
    void *access_sd;                    /* self-relative copy; NULL: AccessPermission absent */
    bool library;
};

/* Guarded by ntsec__com_lock, as every process' settings it feeds. */
static struct appid_entry *registry;

static struct appid_entry *find(const void *guid)
{
    for (struct appid_entry *e = registry; e; e = e->next)
        if (!memcmp(e->guid, guid, sizeof(e->guid)))
            return e;
    return NULL;
}

ntsec_hresult ntsec_com_appid_register(const void *appid,
                                       const struct ntsec_com_appid_settings *settings)
{
    struct appid_entry *fresh, *old;
    void *sd = NULL;
    uint32_t size;

    if (!appid || !settings || settings->authn_level > NTSEC_AUTHN_LEVEL_PKT_PRIVACY ||
        (settings->access_sd && !ntsec_sd_is_valid(settings->access_sd)))
        return NTSEC_E_INVALIDARG;
    fresh = ntsec__zalloc(sizeof(*fresh));
    if (!fresh)
        return NTSEC_E_OUTOFMEMORY;
    if (settings->access_sd &&
        !ntsec_success(ntsec_sd_duplicate_relative(settings->access_sd, &sd, &size))) {
        ntsec__free(fresh);
        return NTSEC_E_OUTOFMEMORY;
    }
    memcpy(fresh->guid, appid, sizeof(fresh->guid));
    fresh->authn_level = settings->authn_level;
    fresh->access_sd = sd;
    fresh->library = settings->library;
    pthread_mutex_lock(&ntsec__com_lock);
    old = find(appid);
    if (old) {                          /* the values are replaced in place */
        struct appid_entry keep = *old;

        *old = *fresh;
        old->next = keep.next;
        *fresh = keep;
    } else {
        fresh->next = registry;
        registry = fresh;
        fresh = NULL;
    }
    pthread_mutex_unlock(&ntsec__com_lock);
    if (fresh) {
        ntsec_mem_free(fresh->access_sd);
        ntsec__free(fresh);
    }
    return NTSEC_S_OK;
}

ntsec_hresult ntsec_com_appid_unregister(const void *appid)
{
    struct appid_entry **pp, *e = NULL;

    if (!appid)
        return NTSEC_E_INVALIDARG;
    pthread_mutex_lock(&ntsec__com_lock);
    for (pp = &registry; *pp; pp = &(*pp)->next)
        if (!memcmp((*pp)->guid, appid, sizeof((*pp)->guid))) {
            e = *pp;
            *pp = e->next;
            break;
        }
    pthread_mutex_unlock(&ntsec__com_lock);
    if (!e)
        return NTSEC_CO_E_APPNOTFOUND;
    ntsec_mem_free(e->access_sd);
    ntsec__free(e);
    return NTSEC_S_OK;
}

ntsec_hresult ntsec__com_appid_apply(struct com_process *p, const void *appid)
{
    /* EOAC, Remarks: "If the AppID is NULL, CoInitializeSecurity looks up
     * the application .exe name in the registry ... If the AppID does not
     * exist, the machine defaults are used." ntsec maps no executable to
     * an AppID, so NULL is an executable without one. An AppID missing
     * from the registry gives the defaults too (CIS, Remarks: only before
     * Windows NT 4 SP4 was that an error). */
    const struct appid_entry *e = appid ? find(appid) : NULL;
    uint32_t level = e && e->authn_level ? e->authn_level : NTSEC_AUTHN_LEVEL_CONNECT;
    void *sd = NULL;
    uint32_t size;

    /* EOAC, Remarks: the level under the AppID, else the machine default
     * (CONNECT, DEF); "if the authentication level is not
     * RPC_C_AUTHN_LEVEL_NONE", the AccessPermission value, else the
     * default (ntsec's default lets everyone in, as an implicit
     * CoInitializeSecurity does here). */
    if (e && e->access_sd && level != NTSEC_AUTHN_LEVEL_NONE &&
        !ntsec_success(ntsec_sd_duplicate_relative(e->access_sd, &sd, &size)))
        return NTSEC_E_OUTOFMEMORY;
    ntsec__com_secure_implicitly(p);    /* the rest as for a legacy application (EOAC) */
    p->authn_level = level;
    p->access_sd = sd;
    p->has_appid = appid != NULL;
    if (appid)
        memcpy(p->appid, appid, sizeof(p->appid));
    return NTSEC_S_OK;
}

/* Undo ntsec__com_appid_apply when the export it was made for failed, so
 * a failed call changes nothing (DESIGN.md, Errors). */
static void forget(struct com_process *p)
{
    void *sd;

    pthread_mutex_lock(&ntsec__com_lock);
    sd = p->access_sd;
    p->access_sd = NULL;
    p->secured = p->has_appid = false;
    pthread_mutex_unlock(&ntsec__com_lock);
    ntsec_mem_free(sd);
}

ntsec_hresult ntsec_com_export_appid(const struct ntsec_com_object *object, const void *appid,
                                     uint32_t *cookie)
{
    struct com_process *p = ntsec__com_thread.proc;
    const struct appid_entry *e;
    ntsec_hresult hr = NTSEC_S_OK;
    bool applied = false;

    if (!p)
        return NTSEC_CO_E_NOTINITIALIZED;
    if (!object || !object->invoke || !appid || !cookie)
        return NTSEC_E_INVALIDARG;
    pthread_mutex_lock(&ntsec__com_lock);
    e = find(appid);
    if (!e)
        hr = NTSEC_CO_E_APPNOTFOUND;    /* ntsec's choice: winerror.h "Application not found" */
    else if (e->library)
        ;   /* COM+: a library application runs in its host's process, with its settings */
    else if (!p->secured)
        applied = (hr = ntsec__com_appid_apply(p, appid)) == NTSEC_S_OK;
    else if (!p->has_appid || memcmp(p->appid, appid, sizeof(p->appid)))
        hr = NTSEC_RPC_E_TOO_LATE;      /* ntsec's choice: this process cannot be the application's */
    pthread_mutex_unlock(&ntsec__com_lock);
    if (hr == NTSEC_S_OK)
        hr = ntsec_com_export(object, cookie);
    if (hr != NTSEC_S_OK && applied)
        forget(p);
    return hr;
}
