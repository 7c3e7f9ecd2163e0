/* strbuf.c - growable strings for libsec's formatters. */
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "strbuf.h"

static bool reserve(struct ntsec__strbuf *sb, size_t extra)
{
    size_t need, cap;
    char *p;

    if (sb->failed)
        return false;
    need = sb->len + extra + 1;
    if (need <= sb->cap)
        return true;
    cap = sb->cap ? sb->cap : 64;
    while (cap < need)
        cap *= 2;
    p = ntsec__alloc(cap);
    if (!p) {
        sb->failed = true;
        return false;
    }
    if (sb->len)
        memcpy(p, sb->data, sb->len);
    p[sb->len] = 0;
    ntsec__free(sb->data);
    sb->data = p;
    sb->cap = cap;
    return true;
}

void ntsec__strbuf_append(struct ntsec__strbuf *sb, const char *s, size_t len)
{
    if (!reserve(sb, len))
        return;
    memcpy(sb->data + sb->len, s, len);
    sb->len += len;
    sb->data[sb->len] = 0;
}

void ntsec__strbuf_puts(struct ntsec__strbuf *sb, const char *s)
{
    ntsec__strbuf_append(sb, s, strlen(s));
}

void ntsec__strbuf_putc(struct ntsec__strbuf *sb, char c)
{
    ntsec__strbuf_append(sb, &c, 1);
}

void ntsec__strbuf_printf(struct ntsec__strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !reserve(sb, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
}

ntsec_status ntsec__strbuf_finish(struct ntsec__strbuf *sb, char **out, size_t *len)
{
    if (!sb->failed && !sb->data)
        reserve(sb, 0);
    if (sb->failed) {
        ntsec__strbuf_discard(sb);
        return NTSEC_STATUS_NO_MEMORY;
    }
    *out = sb->data;
    if (len)
        *len = sb->len;
    sb->data = NULL;
    sb->len = sb->cap = 0;
    return NTSEC_STATUS_SUCCESS;
}

void ntsec__strbuf_discard(struct ntsec__strbuf *sb)
{
    ntsec__free(sb->data);
    sb->data = NULL;
    sb->len = sb->cap = 0;
    sb->failed = false;
}
