/* account_describe.c - the current world written back in the world file
 * format (what `ntsec world show` prints): loading the text gives the same
 * world again. */
#include <stdio.h>
#include <string.h>

#include "ntsec/account.h"
#include "ntsec/privilege.h"
#include "alloc.h"
#include "strbuf.h"
#include "world.h"

static void put_sid(struct ntsec__strbuf *sb, const char *key, const struct ntsec_sid *sid)
{
    char buf[NTSEC_SID_STRING_MAX];

    ntsec_sid_format(sid, buf, sizeof(buf));
    ntsec__strbuf_printf(sb, "%s = %s\n", key, buf);
}

static void put_flags(struct ntsec__strbuf *sb, uint32_t flags)
{
    size_t n;
    const struct ntsec__account_flag_name *t = ntsec__account_flag_table(&n);
    const char *sep = "flags = ";

    for (size_t i = 0; i < n; i++)
        if (flags & t[i].flag) {
            ntsec__strbuf_printf(sb, "%s%s", sep, t[i].name);
            sep = ", ";
        }
    if (flags)
        ntsec__strbuf_putc(sb, '\n');
}

/* A list key, several items a line and a new line before 100 columns
 * (the loader reads at most 197 characters a line and adds repeated
 * keys up). */
struct list {
    struct ntsec__strbuf *sb;
    const char *key;
    size_t col;                 /* 0: no line open */
};

static void item(struct list *l, const char *s)
{
    size_t len = strlen(s);

    if (l->col && l->col + 2 + len > 100) {
        ntsec__strbuf_putc(l->sb, '\n');
        l->col = 0;
    }
    if (!l->col) {
        ntsec__strbuf_printf(l->sb, "%s = %s", l->key, s);
        l->col = strlen(l->key) + 3 + len;
    } else {
        ntsec__strbuf_printf(l->sb, ", %s", s);
        l->col += 2 + len;
    }
}

static void end(struct list *l)
{
    if (l->col)
        ntsec__strbuf_putc(l->sb, '\n');
}

static void put_rights(struct ntsec__strbuf *sb, const struct ntsec__waccount *a)
{
    size_t n;
    const struct ntsec__logon_right_name *t = ntsec__logon_right_table(&n);
    struct list l = { sb, "rights", 0 };

    for (unsigned p = NTSEC_SE_MIN_PRIVILEGE; p <= NTSEC_SE_MAX_PRIVILEGE; p++)
        if (a->privileges & (1ull << p))
            item(&l, ntsec_privilege_name(ntsec_privilege_luid((enum ntsec_privilege)p)));
    for (size_t i = 0; i < n; i++)
        if (a->logon_rights & t[i].bit)
            item(&l, t[i].name);
    end(&l);
}

static void put_groups(struct ntsec__strbuf *sb, const struct ntsec__world *w,
                       const struct ntsec__waccount *a)
{
    struct list l = { sb, "groups", 0 };

    for (size_t i = 0; i < a->member_count; i++) {
        char buf[NTSEC__NAME_BUF], full[2 * NTSEC__NAME_BUF + 300];
        const char *name, *domain;
        enum ntsec_sid_use use;

        /* Every member SID was resolved from a name when the world was
         * built, so it has one. */
        if (!ntsec__world_name_of(w, &a->member_of[i], &name, &domain, &use, buf))
            continue;
        snprintf(full, sizeof(full), "%s%s%s", domain, *domain ? "\\" : "", name);
        item(&l, full);
    }
    end(&l);
}

static void put_account(struct ntsec__strbuf *sb, const struct ntsec__world *w,
                        const struct ntsec__waccount *a)
{
    static const char *const words[] = {
        [NTSEC__W_USER] = "user", [NTSEC__W_GROUP] = "group",
        [NTSEC__W_HOST] = "host", [NTSEC__W_WELLKNOWN] = "wellknown",
    };

    if (a->kind == NTSEC__W_WELLKNOWN) {
        if (*a->domain)
            ntsec__strbuf_printf(sb, "\n[wellknown %s\\%s]\n", a->domain, a->name);
        else
            ntsec__strbuf_printf(sb, "\n[wellknown %s]\n", a->name);
    } else {
        size_t len = strlen(a->name);

        if (a->kind == NTSEC__W_HOST)
            len--;              /* NAME$ is written [host NAME] */
        ntsec__strbuf_printf(sb, "\n[%s %.*s]\n", words[a->kind], (int)len, a->name);
        if (strcmp(a->domain, w->machine.name))
            ntsec__strbuf_printf(sb, "domain = %s\n", a->domain);
        ntsec__strbuf_printf(sb, "rid = %u\n", ntsec_sid_rid(&a->sid));
    }
    if (a->password)
        ntsec__strbuf_printf(sb, "password = %s\n", a->password);
    put_groups(sb, w, a);
    put_rights(sb, a);
    put_flags(sb, a->flags);
    if (a->has_uid)
        ntsec__strbuf_printf(sb, "uid = %u\n", a->uid);
    if (a->has_gid)
        ntsec__strbuf_printf(sb, "gid = %u\n", a->gid);
}

ntsec_status ntsec_world_describe(char **text)
{
    struct ntsec__strbuf sb = NTSEC__STRBUF_INIT;
    const struct ntsec__world *w;
    const struct ntsec__waccount *self = NULL;
    char *out;
    size_t len;
    ntsec_status st;

    if (!text)
        return NTSEC_STATUS_INVALID_PARAMETER;
    w = ntsec__world_acquire();
    for (size_t i = 0; i < w->account_count; i++)
        if (w->accounts[i].self)
            self = &w->accounts[i];
    ntsec__strbuf_printf(&sb, "[machine]\nname = %s\n", w->machine.name);
    put_sid(&sb, "sid", &w->machine.sid);
    if (w->joined && self) {
        ntsec__strbuf_printf(&sb, "domain = %s\nrid = %u\n", w->joined->name,
                             ntsec_sid_rid(&self->sid));
        put_flags(&sb, self->flags);
    }
    for (size_t i = 0; i < w->domain_count; i++) {
        ntsec__strbuf_printf(&sb, "\n[domain %s]\n", w->domains[i].name);
        put_sid(&sb, "sid", &w->domains[i].sid);
    }
    for (size_t i = 0; i < w->account_count; i++)
        if (!w->accounts[i].self)
            put_account(&sb, w, &w->accounts[i]);
    st = ntsec__strbuf_finish(&sb, &out, &len);
    ntsec__world_release();
    if (st == NTSEC_STATUS_SUCCESS)
        *text = out;
    return st;
}
