/* strbuf.h - a growable NUL-terminated string for the formatters (SDDL,
 * conditional expressions, explanations). Allocation failure is sticky:
 * after one, every append is a no-op and ntsec__strbuf_finish() reports
 * NTSEC_STATUS_NO_MEMORY, so callers check once at the end. */
#ifndef NTSEC_LIBSEC_STRBUF_H
#define NTSEC_LIBSEC_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "ntsec/status.h"

struct ntsec__strbuf {
    char  *data;
    size_t len;
    size_t cap;
    bool   failed;
};

#define NTSEC__STRBUF_INIT { NULL, 0, 0, false }

void ntsec__strbuf_append(struct ntsec__strbuf *sb, const char *s, size_t len);
void ntsec__strbuf_puts(struct ntsec__strbuf *sb, const char *s);
void ntsec__strbuf_putc(struct ntsec__strbuf *sb, char c);
void ntsec__strbuf_printf(struct ntsec__strbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* On success hands the string over (*out, release with ntsec__free) and its
 * length; an empty buffer gives "". On failure frees everything. */
ntsec_status ntsec__strbuf_finish(struct ntsec__strbuf *sb, char **out, size_t *len);

/* Drop the contents without handing them over. */
void ntsec__strbuf_discard(struct ntsec__strbuf *sb);

#endif
