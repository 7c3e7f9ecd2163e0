/* apartment.c - ole32's apartment and process-security entry points:
 * CoInitializeEx, CoInitialize, CoUninitialize, CoInitializeSecurity,
 * and the task allocator QueryBlanket's strings come from. The rules are
 * libsec's (libsec/com_apartment.c, com_security.c). */
#include "ole32.h"

HRESULT WINAPI CoInitializeEx(LPVOID reserved, DWORD coinit)
{
    /* "CoInitializeEx": pvReserved "must be NULL"; E_INVALIDARG is in its
     * list of results (ntsec's reading). */
    if (reserved)
        return E_INVALIDARG;
    return ntsec_com_initialize(coinit & COINIT_APARTMENTTHREADED ? NTSEC_COM_STA : NTSEC_COM_MTA);
}

HRESULT WINAPI CoInitialize(LPVOID reserved)
{
    return CoInitializeEx(reserved, COINIT_APARTMENTTHREADED);
}

void WINAPI CoUninitialize(void)
{
    ntsec_com_uninitialize();
}

HRESULT WINAPI CoInitializeSecurity(PSECURITY_DESCRIPTOR sd, LONG auth_svc_count,
                                    SOLE_AUTHENTICATION_SERVICE *auth_svc, void *reserved1,
                                    DWORD authn_level, DWORD imp_level, void *auth_list,
                                    DWORD capabilities, void *reserved3)
{
    const struct ntsec_com_security_args args = {
        sd, auth_svc_count, auth_svc, reserved1, authn_level, imp_level, auth_list,
        capabilities, reserved3,
    };

    return ntsec_com_initialize_security(&args);
}

LPVOID WINAPI CoTaskMemAlloc(SIZE_T size)
{
    return ntsec_mem_alloc(size);
}

void WINAPI CoTaskMemFree(LPVOID p)
{
    ntsec_mem_free(p);
}
