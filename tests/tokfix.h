/* tokfix.h - token fixtures shared by the token test programs: SIDs from
 * strings and a description of a typical interactive user's token. */
#ifndef NTSEC_TESTS_TOKFIX_H
#define NTSEC_TESTS_TOKFIX_H

#include <CUnit/CUnit.h>
#include <string.h>

#include "ntsec/ntsec.h"
#include "token.h"

/* Parse an SDDL SID string ("S-1-5-32-544" or "BA") into *out. */
static inline struct ntsec_sid *tf_sid(struct ntsec_sid *out, const char *text)
{
    ntsec_status st = ntsec_sid_from_string(text, NULL, out);

    CU_ASSERT_EQUAL_FATAL(st, NTSEC_STATUS_SUCCESS);
    return out;
}

#define TF_ENABLED (NTSEC_SE_GROUP_ENABLED | NTSEC_SE_GROUP_ENABLED_BY_DEFAULT)
#define TF_MANDATORY (TF_ENABLED | NTSEC_SE_GROUP_MANDATORY)

/* A user token as LogonUser makes one: the user, Everyone, Users,
 * Administrators (enabled), a disabled group, a deny-only group, a logon
 * SID, the Medium label; SeChangeNotify enabled, SeShutdown disabled. */
struct tf_token {
    struct ntsec_sid user, everyone, users, admins, disabled, denyonly, logon, label;
    struct ntsec_sid_and_attributes groups[7];
    struct ntsec_luid_and_attributes privs[2];
    struct ntsec_token_desc desc;
};

enum { TF_EVERYONE, TF_USERS, TF_ADMINS, TF_DISABLED, TF_DENYONLY, TF_LOGON, TF_LABEL };

static inline void tf_init(struct tf_token *f)
{
    memset(f, 0, sizeof(*f));
    tf_sid(&f->user, "S-1-5-21-1-2-3-1001");
    tf_sid(&f->everyone, "S-1-1-0");
    tf_sid(&f->users, "S-1-5-32-545");
    tf_sid(&f->admins, "S-1-5-32-544");
    tf_sid(&f->disabled, "S-1-5-21-1-2-3-2000");
    tf_sid(&f->denyonly, "S-1-5-21-1-2-3-2001");
    tf_sid(&f->logon, "S-1-5-5-0-12345");
    tf_sid(&f->label, "S-1-16-8192");
    f->groups[TF_EVERYONE] = (struct ntsec_sid_and_attributes){ &f->everyone, TF_MANDATORY };
    f->groups[TF_USERS] = (struct ntsec_sid_and_attributes){ &f->users, TF_MANDATORY };
    f->groups[TF_ADMINS] = (struct ntsec_sid_and_attributes){
        &f->admins, TF_ENABLED | NTSEC_SE_GROUP_OWNER };
    f->groups[TF_DISABLED] = (struct ntsec_sid_and_attributes){ &f->disabled, 0 };
    f->groups[TF_DENYONLY] = (struct ntsec_sid_and_attributes){
        &f->denyonly, NTSEC_SE_GROUP_USE_FOR_DENY_ONLY };
    f->groups[TF_LOGON] = (struct ntsec_sid_and_attributes){
        &f->logon, TF_MANDATORY | NTSEC_SE_GROUP_LOGON_ID };
    f->groups[TF_LABEL] = (struct ntsec_sid_and_attributes){
        &f->label, NTSEC_SE_GROUP_INTEGRITY | NTSEC_SE_GROUP_INTEGRITY_ENABLED };
    f->privs[0] = (struct ntsec_luid_and_attributes){
        { NTSEC_SE_CHANGE_NOTIFY_PRIVILEGE, 0 },
        NTSEC_SE_PRIVILEGE_ENABLED | NTSEC_SE_PRIVILEGE_ENABLED_BY_DEFAULT };
    f->privs[1] = (struct ntsec_luid_and_attributes){ { NTSEC_SE_SHUTDOWN_PRIVILEGE, 0 }, 0 };
    f->desc.type = NTSEC_TOKEN_PRIMARY;
    f->desc.user.sid = &f->user;
    f->desc.groups = f->groups;
    f->desc.group_count = 7;
    f->desc.privileges = f->privs;
    f->desc.privilege_count = 2;
    memcpy(f->desc.source.name, "User32  ", 8);
}

#endif
