/* access_explain.c - one step of an access check in plain words
 * (ntsec_access_step_describe), for people learning how Windows decides:
 * which rule ran, whom an ACE named, why it did or did not count, and
 * what it granted or denied. */
#include <stdarg.h>
#include <stdio.h>

#include "ntsec/ntsec.h"
#include "ace.h"
#include "wellknown.h"

struct out {
    char *buf;
    size_t size;
    size_t len;                 /* the length the whole text needs */
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(o->len < o->size ? o->buf + o->len : NULL,
                  o->len < o->size ? o->size - o->len : 0, fmt, ap);
    va_end(ap);
    if (n > 0)
        o->len += (size_t)n;
}

/* "Everyone (S-1-1-0)", or the SID string alone when it has no name. */
static void put_sid(struct out *o, const struct ntsec_sid *sid, const struct ntsec_sid *domain)
{
    const struct ntsec__wellknown *wk;
    const char *name = ntsec_sid_name(sid);
    char text[NTSEC_SID_STRING_MAX];

    if (!name && (wk = ntsec__wellknown_find(sid, domain)) != NULL)
        name = wk->display ? wk->display : wk->name;
    ntsec_sid_format(sid, text, sizeof text);
    if (name)
        put(o, "%s (%s)", name, text);
    else
        put(o, "%s", text);
}

/* The rights of a mask by name ("READ_CONTROL, WRITE_DAC"), with the
 * number for reference. */
static void put_rights(struct out *o, uint32_t mask)
{
    char names[512];

    if (!mask) {
        put(o, "no right");
        return;
    }
    if (ntsec_access_mask_describe(mask, names, sizeof names) && names[0])
        put(o, "%s [0x%08x]", names, mask);
    else
        put(o, "0x%08x", mask);
}

static void put_ace(struct out *o, const struct ntsec_access_step *s,
                    const struct ntsec_sid *domain)
{
    const struct ntsec__ace_kind *k = s->ace ? ntsec__ace_kind_of(s->ace->type) : NULL;

    put(o, "ACE %d", s->ace_index);
    if (k)
        put(o, " (%s", k->name);
    else if (s->ace)
        put(o, " (type 0x%02x", s->ace->type);
    if (s->sid) {
        put(o, k || s->ace ? ", for " : " (for ");
        put_sid(o, s->sid, domain);
    }
    if (k || s->ace || s->sid)
        put(o, ")");
}

size_t ntsec_access_step_describe(const struct ntsec_access_step *step,
                                  const struct ntsec_sid *domain, char *buf, size_t size)
{
    struct out o = { buf, buf ? size : 0, 0 };
    const char *why = step && step->why ? step->why : NULL;

    if (o.size)
        buf[0] = 0;
    if (!step)
        return 0;
    if (step->restricted_pass)
        put(&o, "[restricted SIDs] ");
    switch (step->kind) {
    case NTSEC_STEP_KERNEL_MODE:
        put(&o, "The caller runs in kernel mode: the descriptor is not consulted and it gets ");
        put_rights(&o, step->bits);
        put(&o, ".");
        break;
    case NTSEC_STEP_NO_DACL:
        put(&o, "No DACL protects the object (%s), so everyone gets what they ask: ",
            why ? why : "no DACL");
        put_rights(&o, step->bits);
        put(&o, ".");
        break;
    case NTSEC_STEP_EMPTY_REQUEST:
        put(&o, "No right was asked (%s); the check grants what the caller already had: ",
            why ? why : "desired access is 0");
        put_rights(&o, step->bits);
        put(&o, ".");
        break;
    case NTSEC_STEP_GENERIC_MAPPED:
        put(&o, "The generic rights asked stand for the object's own rights: ");
        put_rights(&o, step->bits);
        put(&o, ".");
        break;
    case NTSEC_STEP_INTEGRITY:
        put(&o, "Mandatory access: %s.", why ? why : "the object's label was checked");
        if (step->bits) {
            put(&o, " Refused whatever the DACL says: ");
            put_rights(&o, step->bits);
            put(&o, ".");
        }
        break;
    case NTSEC_STEP_PRIVILEGE: {
        const char *name = ntsec_privilege_name(step->privilege);

        put(&o, "Privilege %s: %s: ", name ? name : "(unknown)",
            why ? why : "it was looked at");
        put_rights(&o, step->bits);
        put(&o, ".");
        break;
    }
    case NTSEC_STEP_OWNER:
        put(&o, "Owner: ");
        if (step->sid)
            put_sid(&o, step->sid, domain);
        else
            put(&o, "the object's owner");
        put(&o, " - %s", why ? why : "the token owns the object");
        if (step->bits) {
            put(&o, "; the owner may always read and change the DACL: ");
            put_rights(&o, step->bits);
        }
        put(&o, ".");
        break;
    case NTSEC_STEP_ACE_SKIPPED:
        put_ace(&o, step, domain);
        put(&o, " does not count: %s.", why ? why : "it does not apply");
        break;
    case NTSEC_STEP_ACE_ALLOWED:
        put_ace(&o, step, domain);
        put(&o, " allows ");
        put_rights(&o, step->bits);
        put(&o, " (%s); granted so far: ", why ? why : "it applies to the token");
        put_rights(&o, step->mask);
        put(&o, ".");
        break;
    case NTSEC_STEP_ACE_DENIED:
        put_ace(&o, step, domain);
        put(&o, " denies ");
        put_rights(&o, step->bits);
        put(&o, " (%s).", why ? why : "it applies to the token");
        break;
    case NTSEC_STEP_RESTRICTED_PASS:
        put(&o, "Restricted token: %s; what it grants is intersected with the first pass.",
            why ? why : "the DACL is walked again with the restricted SIDs");
        break;
    case NTSEC_STEP_RESULT: {
        const char *st = ntsec_status_name(step->status);

        if (ntsec_success(step->status)) {
            put(&o, "Result: access granted: ");
            put_rights(&o, step->bits);
            put(&o, ".");
        } else {
            put(&o, "Result: access denied (%s); nothing is granted.",
                st ? st : "failure");
        }
        break;
    }
    default:
        put(&o, "Step %d.", (int)step->kind);
        break;
    }
    return o.len;
}
