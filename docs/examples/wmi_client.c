/* wmi_client.c - a WMI-style COM client, written as the Microsoft docs
 * teach it, run against an emulated "namespace service" in another
 * emulated process. Build it as any Win32 program on ntsec:
 *
 *     gcc wmi_client.c $(pkg-config --cflags --libs ntsec)
 *
 * The client follows the steps of "Example: Getting WMI Data from the
 * Local Computer" (Microsoft docs, WMI):
 *
 *   Step 1  CoInitializeEx
 *   Step 2  CoInitializeSecurity with the default authentication level
 *   Step 3/4  obtain the service's proxy (there: CoCreateInstance of the
 *           WbemLocator and IWbemLocator::ConnectServer; here:
 *           CoUnmarshalInterface of the packet the service process wrote
 *           with CoMarshalInterface, since ntsec has no class registry)
 *   Step 5  CoSetProxyBlanket on the service proxy, and - "Setting the
 *           Security on IWbemServices and Other Proxies" - on its IUnknown
 *           too, because COM makes its QueryInterface calls through the
 *           IUnknown proxy with that proxy's own blanket
 *   Step 6  make requests (there: IWbemServices::ExecQuery)
 *   Step 7  release everything, CoUninitialize
 *
 * One namespace of the service requires encryption, as a WMI namespace
 * marked RequiresEncryption does ("Requiring an Encrypted Connection to a
 * Namespace"; [MS-WMI] 2.2.30.3: the server "MUST reject the client
 * request with authentication levels that are not equal to
 * RPC_C_AUTHN_LEVEL_PKT_PRIVACY"). The docs' example sets
 * RPC_C_AUTHN_LEVEL_CALL, so its query of that namespace is refused;
 * raising the blanket to RPC_C_AUTHN_LEVEL_PKT_PRIVACY lets it through.
 * The emulated service answers E_ACCESSDENIED (the example's choice: the
 * page does not name the code WMI returns).
 *
 * COM marshals an interface only when its proxy/stub is registered
 * ("Interface Key", ProxyStubClsid32); the emulation's stand-in for
 * installing the proxy/stub DLL is ntsec_com_register_interface, which
 * says how many arguments each method takes. The emulated processes
 * share one address space, so a pointer argument is passed as it is: the
 * service's one method, ExecQuery, takes a pointer to a request that
 * holds its inputs and outputs.
 *
 * The program's exit code is its verdict: 0 when every step gave the
 * result the docs lead one to expect, 1 otherwise. */
#define COBJMACROS
#define INITGUID                /* define the IIDs of Wine's headers here */
#include <ntstatus.h>
#define WIN32_NO_STATUS
#include <windows.h>
#include <objbase.h>
#include <objidl.h>

#include <ntsec/ntsec.h>        /* only to set up the emulated processes */

#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* --- the interface: INamespaceService ------------------------------------------- */

/* What a query carries: the namespace and the query in, the answer out. */
struct namespace_request {
    const char *name_space;             /* "root\\cimv2", "root\\secure" */
    const char *query;                  /* a WQL text (the service only echoes it) */
    char answer[200];                   /* who the service ran the query as */
};

typedef struct INamespaceService INamespaceService;
typedef struct {
    HRESULT (WINAPI *QueryInterface)(INamespaceService *self, REFIID iid, void **ppv);
    ULONG (WINAPI *AddRef)(INamespaceService *self);
    ULONG (WINAPI *Release)(INamespaceService *self);
    HRESULT (WINAPI *ExecQuery)(INamespaceService *self, struct namespace_request *request);
} INamespaceServiceVtbl;
struct INamespaceService {
    const INamespaceServiceVtbl *lpVtbl;
};

/* {5b1d6a30-7c1e-4f2a-9d5e-6e7a00000001}: this example's own IID. */
static const IID IID_INamespaceService =
    { 0x5b1d6a30, 0x7c1e, 0x4f2a, { 0x9d, 0x5e, 0x6e, 0x7a, 0x00, 0x00, 0x00, 0x01 } };

/* --- the server: an emulated namespace service ------------------------------------ */

/* Its namespaces; root\secure carries RequiresEncryption(TRUE). */
static const struct {
    const char *name;
    BOOL requires_encryption;
} namespaces[] = {
    { "root\\cimv2", FALSE },
    { "root\\secure", TRUE },
};

struct service {
    INamespaceService iface;
    LONG refs;
};

static HRESULT WINAPI svc_QueryInterface(INamespaceService *self, REFIID iid, void **ppv)
{
    if (IsEqualIID(iid, &IID_IUnknown) || IsEqualIID(iid, &IID_INamespaceService)) {
        *ppv = self;
        self->lpVtbl->AddRef(self);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI svc_AddRef(INamespaceService *self)
{
    return InterlockedIncrement(&((struct service *)self)->refs);
}

static ULONG WINAPI svc_Release(INamespaceService *self)
{
    return InterlockedDecrement(&((struct service *)self)->refs);
}

/* ExecQuery runs on one of the server's COM threads. As WMI does, it asks
 * COM how the caller authenticated (CoGetCallContext, then
 * IServerSecurity::QueryBlanket) and refuses a namespace that requires
 * encryption below RPC_C_AUTHN_LEVEL_PKT_PRIVACY; it then impersonates
 * the caller for the work ("IServerSecurity::ImpersonateClient"). */
static HRESULT WINAPI svc_ExecQuery(INamespaceService *self, struct namespace_request *request)
{
    IServerSecurity *security = NULL;
    DWORD authn_level = 0;
    void *privs = NULL;
    char *client = NULL;
    BOOL known = FALSE, requires_encryption = FALSE;
    HRESULT hr;

    (void)self;
    if (!request || !request->name_space)
        return E_INVALIDARG;
    for (size_t i = 0; i < sizeof(namespaces) / sizeof(namespaces[0]); i++)
        if (!strcmp(request->name_space, namespaces[i].name)) {
            known = TRUE;
            requires_encryption = namespaces[i].requires_encryption;
        }
    if (!known)
        return E_INVALIDARG;
    hr = CoGetCallContext(&IID_IServerSecurity, (void **)&security);
    if (FAILED(hr))
        return hr;
    hr = IServerSecurity_QueryBlanket(security, NULL, NULL, NULL, &authn_level, NULL, &privs, NULL);
    if (SUCCEEDED(hr) && requires_encryption && authn_level != RPC_C_AUTHN_LEVEL_PKT_PRIVACY)
        hr = E_ACCESSDENIED;
    if (SUCCEEDED(hr))
        hr = IServerSecurity_ImpersonateClient(security);
    if (SUCCEEDED(hr)) {
        /* pPrivs is the client's name, DOMAIN\user, as a wide string. */
        if (privs && ntsec_wstr_to_utf8(privs, &client, NULL) != NTSEC_STATUS_SUCCESS)
            client = NULL;
        snprintf(request->answer, sizeof(request->answer),
                 "ran \"%s\" in %s as %s, authentication level %lu", request->query,
                 request->name_space, client ? client : "?", (unsigned long)authn_level);
        ntsec_mem_free(client);
        IServerSecurity_RevertToSelf(security);
    }
    IServerSecurity_Release(security);
    return hr;
}

static const INamespaceServiceVtbl service_vtbl = {
    svc_QueryInterface, svc_AddRef, svc_Release, svc_ExecQuery,
};

/* --- the emulation's setup: two processes ------------------------------------------ */

/* The service process' main thread: it initialises COM, marshals the
 * service into a stream the client reads (CoMarshalInterface) and stays
 * in its apartment until the client is done; its COM threads serve the
 * calls. */
struct server {
    struct ntsec_process *process;
    struct service object;
    IStream *stream;
    HRESULT hr;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    BOOL up, quit;
};

static void *server_main(void *arg)
{
    struct server *s = arg;

    s->hr = ntsec_thread_bind(s->process) == NTSEC_STATUS_SUCCESS ? S_OK : E_FAIL;
    if (SUCCEEDED(s->hr))
        s->hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    if (SUCCEEDED(s->hr))
        s->hr = CoInitializeSecurity(NULL, -1, NULL, NULL, RPC_C_AUTHN_LEVEL_DEFAULT,
                                     RPC_C_IMP_LEVEL_IDENTIFY, NULL, EOAC_NONE, NULL);
    if (SUCCEEDED(s->hr))
        s->hr = CreateStreamOnHGlobal(NULL, TRUE, &s->stream);
    if (SUCCEEDED(s->hr))
        s->hr = CoMarshalInterface(s->stream, &IID_INamespaceService, (IUnknown *)&s->object.iface,
                                   MSHCTX_LOCAL, NULL, MSHLFLAGS_NORMAL);
    pthread_mutex_lock(&s->lock);
    s->up = TRUE;
    pthread_cond_broadcast(&s->cond);
    while (!s->quit)
        pthread_cond_wait(&s->cond, &s->lock);
    pthread_mutex_unlock(&s->lock);
    CoUninitialize();                   /* revokes the export */
    return NULL;
}

/* A process of the account world: `user` logged on as `type`. */
static struct ntsec_process *world_process(const char *user, enum ntsec_logon_type type,
                                           const char *image)
{
    struct ntsec_token *token = NULL;
    struct ntsec_process *process = NULL;

    if (ntsec_logon_token(user, NULL, type, &token) != NTSEC_STATUS_SUCCESS)
        return NULL;
    if (ntsec_process_create(token, image, &process) != NTSEC_STATUS_SUCCESS)
        process = NULL;
    ntsec_token_put(token);
    return process;
}

/* --- the client: the steps of the Microsoft example -------------------------------- */

static int failures;

static void expect(const char *step, HRESULT hr, HRESULT expected)
{
    printf("%-62s 0x%08x %s\n", step, (unsigned)hr, hr == expected ? "ok" : "UNEXPECTED");
    if (hr != expected)
        failures++;
}

/* CoSetProxyBlanket as "Setting the Security on IWbemServices and Other
 * Proxies" does it, on the interface proxy and on its IUnknown. */
static void set_blanket(INamespaceService *svc, IUnknown *unk, DWORD authn_level, const char *why)
{
    char step[96];

    snprintf(step, sizeof(step), "CoSetProxyBlanket(service, %s)", why);
    expect(step, CoSetProxyBlanket((IUnknown *)svc, RPC_C_AUTHN_WINNT, RPC_C_AUTHZ_NONE, NULL,
                                   authn_level, RPC_C_IMP_LEVEL_IMPERSONATE, NULL, EOAC_NONE),
           S_OK);
    snprintf(step, sizeof(step), "CoSetProxyBlanket(its IUnknown, %s)", why);
    expect(step, CoSetProxyBlanket(unk, RPC_C_AUTHN_WINNT, RPC_C_AUTHZ_NONE, NULL, authn_level,
                                   RPC_C_IMP_LEVEL_IMPERSONATE, NULL, EOAC_NONE),
           S_OK);
}

static void query(INamespaceService *svc, const char *name_space, HRESULT expected)
{
    struct namespace_request request = { name_space, "SELECT * FROM Win32_OperatingSystem", "" };
    char step[96];
    HRESULT hr = svc->lpVtbl->ExecQuery(svc, &request);

    snprintf(step, sizeof(step), "ExecQuery(%s)", name_space);
    expect(step, hr, expected);
    if (SUCCEEDED(hr))
        printf("    the service %s\n", request.answer);
}

static void client(IStream *stream)
{
    LARGE_INTEGER start = { .QuadPart = 0 };
    INamespaceService *svc = NULL;
    IUnknown *unk = NULL;
    DWORD level = 0;

    /* Step 1: "Initialize COM". */
    expect("CoInitializeEx(COINIT_MULTITHREADED)", CoInitializeEx(NULL, COINIT_MULTITHREADED), S_OK);
    /* Step 2: "Set general COM security levels", the default
     * authentication level and impersonation, as the example does. */
    expect("CoInitializeSecurity(DEFAULT, IMPERSONATE)",
           CoInitializeSecurity(NULL, -1, NULL, NULL, RPC_C_AUTHN_LEVEL_DEFAULT,
                                RPC_C_IMP_LEVEL_IMPERSONATE, NULL, EOAC_NONE, NULL), S_OK);
    /* Steps 3 and 4: the service's proxy, here unmarshaled from the
     * packet the service process wrote. */
    expect("IStream::Seek(0)", IStream_Seek(stream, start, STREAM_SEEK_SET, NULL), S_OK);
    expect("CoUnmarshalInterface(IID_INamespaceService)",
           CoUnmarshalInterface(stream, &IID_INamespaceService, (void **)&svc), S_OK);
    if (!svc)
        goto out;
    expect("QueryInterface(IID_IUnknown)",
           svc->lpVtbl->QueryInterface(svc, &IID_IUnknown, (void **)&unk), S_OK);
    if (!unk)
        goto out;
    /* Step 5: "Set security levels on the proxy": the example's
     * RPC_C_AUTHN_LEVEL_CALL. */
    set_blanket(svc, unk, RPC_C_AUTHN_LEVEL_CALL, "RPC_C_AUTHN_LEVEL_CALL");
    /* Step 6: "Use the IWbemServices pointer to make requests". An
     * ordinary namespace answers; the encrypted one refuses. */
    query(svc, "root\\cimv2", S_OK);
    query(svc, "root\\secure", E_ACCESSDENIED);
    /* Raise the blanket: "Setting Authentication Using C++" -
     * RPC_C_AUTHN_LEVEL_PKT_PRIVACY encrypts each call. */
    set_blanket(svc, unk, RPC_C_AUTHN_LEVEL_PKT_PRIVACY, "RPC_C_AUTHN_LEVEL_PKT_PRIVACY");
    expect("CoQueryProxyBlanket(service)",
           CoQueryProxyBlanket((IUnknown *)svc, NULL, NULL, NULL, &level, NULL, NULL, NULL), S_OK);
    expect("  its authentication level is PKT_PRIVACY (6)", (HRESULT)level,
           (HRESULT)RPC_C_AUTHN_LEVEL_PKT_PRIVACY);
    query(svc, "root\\secure", S_OK);
out:
    /* Step 7: "Cleanup". */
    if (unk)
        IUnknown_Release(unk);
    if (svc)
        svc->lpVtbl->Release(svc);
    CoUninitialize();
}

int main(void)
{
    struct server s = { .object = { { &service_vtbl }, 1 },
                        .lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER };
    struct ntsec_process *me;
    pthread_t thread;
    /* INamespaceService's proxy/stub: one method, ExecQuery, one argument. */
    static const unsigned char exec_query_args[] = { 1 };

    /* The emulation: the service runs as CONTOSO\svc-web (a service logon,
     * as winmgmt runs as a service), the client as CONTOSO\alice. */
    s.process = world_process("svc-web", NTSEC_LOGON_SERVICE, "svchost.exe");
    me = world_process("alice", NTSEC_LOGON_INTERACTIVE, "wmi_client.exe");
    if (ntsec_com_register_interface(&IID_INamespaceService, 1, exec_query_args) != S_OK ||
        !s.process || !me || ntsec_thread_bind(me) != NTSEC_STATUS_SUCCESS ||
        pthread_create(&thread, NULL, server_main, &s) != 0) {
        fprintf(stderr, "wmi_client: cannot set up the emulated processes\n");
        return 1;
    }
    pthread_mutex_lock(&s.lock);
    while (!s.up)
        pthread_cond_wait(&s.cond, &s.lock);
    pthread_mutex_unlock(&s.lock);
    expect("server: CoInitializeEx, CoInitializeSecurity, CoMarshalInterface", s.hr, S_OK);

    if (SUCCEEDED(s.hr))
        client(s.stream);
    if (s.stream)
        IStream_Release(s.stream);

    pthread_mutex_lock(&s.lock);
    s.quit = TRUE;
    pthread_cond_broadcast(&s.cond);
    pthread_mutex_unlock(&s.lock);
    pthread_join(thread, NULL);
    /* Every reference COM took on the service is back. */
    expect("server: the service's references after CoUninitialize", (HRESULT)s.object.refs, 1);
    ntsec_object_put(s.process);
    ntsec_object_put(me);
    printf("wmi_client: %s\n", failures ? "FAILED" : "every step as expected");
    return failures ? 1 : 0;
}
