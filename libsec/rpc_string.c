/* rpc_string.c - string bindings: "ObjectUUID@ProtocolSequence:NetworkAddress[Endpoint,Option]"
 * ("String Binding", Microsoft docs), the protocol sequences ntsec serves
 * and the form of their endpoints.
 *
 * Escapes: a '\' makes the next character plain. RpcStringBindingCompose
 * puts one before '@', ':', '[', ']' and '\' in each part, and parsing
 * takes them out: Windows composes ncacn_np with endpoint "\pipe\x" as
 * "ncacn_np:.[\\pipe\\x]", and parses "[endpoint=\pipe\test]" to the
 * endpoint "pipetest" (Wine's dlls/rpcrt4/tests/rpc.c,
 * test_RpcStringBindingFromBinding and test_RpcStringBindingParseA, run on
 * Windows). A string without a protocol sequence is
 * RPC_S_INVALID_STRING_BINDING there too; an object UUID that is not one
 * RPC_S_INVALID_STRING_UUID.
 *
 * Endpoints: ncalrpc's "can contain up to 250 characters and should not
 * contain any backslash"; ncacn_np's is a pipe name whose "first
 * identifier must be pipe" (MIDL reference, "ncalrpc" and "ncacn_np"). */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "alloc.h"
#include "rpc_internal.h"

static const struct {
    const char *name;
    enum ntsec__rpc_protseq protseq;
} protseqs[] = {
    { "ncalrpc", NTSEC__RPC_NCALRPC },
    { "ncacn_np", NTSEC__RPC_NCACN_NP },
};

enum { NCALRPC_ENDPOINT_MAX = 250 };

enum ntsec__rpc_protseq ntsec__rpc_protseq_find(const char *name)
{
    for (size_t i = 0; name && i < sizeof(protseqs) / sizeof(protseqs[0]); i++)
        if (!strcmp(name, protseqs[i].name))
            return protseqs[i].protseq;
    return 0;
}

ntsec_status ntsec__rpc_endpoint_check(enum ntsec__rpc_protseq protseq, const char *endpoint)
{
    size_t len = strlen(endpoint);

    if (protseq == NTSEC__RPC_NCALRPC) {
        if (len > NCALRPC_ENDPOINT_MAX || strchr(endpoint, '\\'))
            return NTSEC_RPC_NT_INVALID_ENDPOINT_FORMAT;
        return NTSEC_STATUS_SUCCESS;
    }
    /* "\pipe\" and at least one more character, compared without case. */
    if (len <= 6 || strncasecmp(endpoint, "\\pipe\\", 6))
        return NTSEC_RPC_NT_INVALID_ENDPOINT_FORMAT;
    return NTSEC_STATUS_SUCCESS;
}

ntsec_status ntsec__rpc_strdup(const char *s, char **out)
{
    char *copy = NULL;

    if (s) {
        size_t len = strlen(s) + 1;

        if (!(copy = ntsec__alloc(len)))
            return NTSEC_STATUS_NO_MEMORY;
        memcpy(copy, s, len);
    }
    *out = copy;
    return NTSEC_STATUS_SUCCESS;
}

/* --- compose -------------------------------------------------------------- */

static bool special(char c)
{
    return c == '@' || c == ':' || c == '[' || c == ']' || c == '\\';
}

static size_t escaped_len(const char *s)
{
    size_t n = 0;

    for (; s && *s; s++)
        n += special(*s) ? 2 : 1;
    return n;
}

static char *put_escaped(char *p, const char *s)
{
    for (; *s; s++) {
        if (special(*s))
            *p++ = '\\';
        *p++ = *s;
    }
    return p;
}

static bool present(const char *s)
{
    return s && *s;
}

ntsec_status ntsec_rpc_string_binding_compose(const char *uuid, const char *protseq,
                                              const char *netaddr, const char *endpoint,
                                              const char *options, char **out)
{
    size_t len = escaped_len(uuid) + escaped_len(protseq) + escaped_len(netaddr) +
                 escaped_len(endpoint) + escaped_len(options) + 6;
    char *s, *p;

    if (!out)
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (!(s = ntsec__alloc(len)))
        return NTSEC_STATUS_NO_MEMORY;
    p = s;
    if (present(uuid)) {
        p = put_escaped(p, uuid);
        *p++ = '@';
    }
    if (present(protseq)) {
        p = put_escaped(p, protseq);
        *p++ = ':';
    }
    if (present(netaddr))
        p = put_escaped(p, netaddr);
    if (present(endpoint) || present(options)) {
        *p++ = '[';
        if (present(endpoint))
            p = put_escaped(p, endpoint);
        if (present(endpoint) && present(options))
            *p++ = ',';
        if (present(options))
            p = put_escaped(p, options);
        *p++ = ']';
    }
    *p = 0;
    *out = s;
    return NTSEC_STATUS_SUCCESS;
}

/* --- parse ---------------------------------------------------------------- */

/* The first unescaped `c` in [s, end), or NULL. */
static const char *find(const char *s, const char *end, char c)
{
    for (; s < end; s++) {
        if (*s == '\\') {
            s++;
            continue;
        }
        if (*s == c)
            return s;
    }
    return NULL;
}

/* An allocated copy of [s, end) with the escapes taken out; NULL when out
 * of memory or when it ends on a lone '\' (*bad set). */
static char *unescape(const char *s, const char *end, bool *bad)
{
    char *out = ntsec__alloc((size_t)(end - s) + 1), *p = out;

    if (!out)
        return NULL;
    for (; s < end; s++) {
        if (*s == '\\' && ++s == end) {
            *bad = true;
            ntsec__free(out);
            return NULL;
        }
        *p++ = *s;
    }
    *p = 0;
    return out;
}

/* 8-4-4-4-12 hexadecimal digits (UuidFromString's form, no braces). */
static bool is_uuid(const char *s)
{
    static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

    if (strlen(s) != sizeof(shape) - 1)
        return false;
    for (size_t i = 0; shape[i]; i++)
        if (shape[i] == '-' ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
            return false;
    return true;
}

/* One option of [...]: the endpoint (no '=', or "endpoint=") or a
 * network option (kept by Windows, ignored here). */
static ntsec_status parse_option(const char *s, const char *end,
                                 struct ntsec__rpc_string_binding *sb)
{
    static const char ep_option[] = "endpoint=";
    bool bad = false;
    char *opt = unescape(s, end, &bad);
    const char *eq;

    if (!opt)
        return bad ? NTSEC_RPC_NT_INVALID_STRING_BINDING : NTSEC_STATUS_NO_MEMORY;
    eq = strchr(opt, '=');
    if (eq && strncasecmp(opt, ep_option, sizeof(ep_option) - 1)) {
        ntsec__free(opt);
        return NTSEC_STATUS_SUCCESS;
    }
    if (sb->endpoint) {
        ntsec__free(opt);
        return NTSEC_RPC_NT_INVALID_STRING_BINDING;     /* two endpoints */
    }
    if (eq)
        memmove(opt, eq + 1, strlen(eq + 1) + 1);
    sb->endpoint = opt;
    return NTSEC_STATUS_SUCCESS;
}

static ntsec_status parse_options(const char *s, const char *close,
                                  struct ntsec__rpc_string_binding *sb)
{
    while (s < close) {
        const char *comma = find(s, close, ',');
        const char *end = comma ? comma : close;
        ntsec_status st = parse_option(s, end, sb);

        if (!ntsec_success(st))
            return st;
        s = end + 1;
    }
    return NTSEC_STATUS_SUCCESS;
}

/* [s, end) unescaped into *out. */
static ntsec_status take(const char *s, const char *end, char **out)
{
    bool bad = false;

    *out = unescape(s, end, &bad);
    if (!*out)
        return bad ? NTSEC_RPC_NT_INVALID_STRING_BINDING : NTSEC_STATUS_NO_MEMORY;
    return NTSEC_STATUS_SUCCESS;
}

static ntsec_status parse(const char *s, struct ntsec__rpc_string_binding *sb)
{
    const char *end = s + strlen(s), *at, *colon, *open, *close;
    ntsec_status st;

    if ((at = find(s, end, '@'))) {
        if (!ntsec_success(st = take(s, at, &sb->uuid)))
            return st;
        if (!is_uuid(sb->uuid))
            return NTSEC_RPC_NT_INVALID_STRING_UUID;
        s = at + 1;
    }
    if (!(colon = find(s, end, ':')))
        return NTSEC_RPC_NT_INVALID_STRING_BINDING;
    if (!ntsec_success(st = take(s, colon, &sb->protseq)))
        return st;
    s = colon + 1;
    if (!(open = find(s, end, '[')))
        return take(s, end, &sb->netaddr);
    if (!ntsec_success(st = take(s, open, &sb->netaddr)))
        return st;
    close = find(open + 1, end, ']');
    if (!close || close + 1 != end)
        return NTSEC_RPC_NT_INVALID_STRING_BINDING;
    return parse_options(open + 1, close, sb);
}

ntsec_status ntsec__rpc_string_parse(const char *s, struct ntsec__rpc_string_binding *out)
{
    struct ntsec__rpc_string_binding sb = { 0 };
    ntsec_status st;

    if (!s)
        return NTSEC_RPC_NT_INVALID_STRING_BINDING;
    st = parse(s, &sb);
    if (!ntsec_success(st)) {
        ntsec__rpc_string_clear(&sb);
        return st;
    }
    *out = sb;
    return NTSEC_STATUS_SUCCESS;
}

void ntsec__rpc_string_clear(struct ntsec__rpc_string_binding *sb)
{
    ntsec__free(sb->uuid);
    ntsec__free(sb->protseq);
    ntsec__free(sb->netaddr);
    ntsec__free(sb->endpoint);
    *sb = (struct ntsec__rpc_string_binding){ 0 };
}
