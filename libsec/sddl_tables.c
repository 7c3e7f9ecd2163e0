/* sddl_tables.c - SDDL's letters: one table each for ACE types, ACE flags,
 * access rights and ACL control flags. The order of each table is the
 * order Windows writes the letters in, so the formatter walks them as
 * they stand. */
#include <string.h>
#include <strings.h>

#include "ntsec/ntsec.h"
#include "sddl_tables.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* "ACE Strings" (Microsoft docs) and sddl.h. An object type named without
 * any GUID becomes the matching plain type: "If ace_type is
 * ACCESS_ALLOWED_OBJECT_ACE_TYPE and neither object_guid nor
 * inherit_object_guid has a GUID specified, then
 * ConvertStringSecurityDescriptorToSecurityDescriptor converts ace_type to
 * ACCESS_ALLOWED_ACE_TYPE" ("ACE Strings"); ntsec applies the same to the
 * other three object types. ZA is the allowed-callback-object type and XU
 * the audit-callback type (sddl.h; [MS-DTYP] has had the two swapped). */
static const struct ntsec__sddl_ace_type ace_types[] = {
    { "A",  NTSEC_ACE_ACCESS_ALLOWED, NTSEC__SDDL_ACE_PLAIN,
      NTSEC_ACE_ACCESS_ALLOWED, "ACCESS_ALLOWED_ACE_TYPE" },
    { "D",  NTSEC_ACE_ACCESS_DENIED, NTSEC__SDDL_ACE_PLAIN,
      NTSEC_ACE_ACCESS_DENIED, "ACCESS_DENIED_ACE_TYPE" },
    { "AU", NTSEC_ACE_SYSTEM_AUDIT, NTSEC__SDDL_ACE_PLAIN,
      NTSEC_ACE_SYSTEM_AUDIT, "SYSTEM_AUDIT_ACE_TYPE" },
    { "AL", NTSEC_ACE_SYSTEM_ALARM, NTSEC__SDDL_ACE_PLAIN,
      NTSEC_ACE_SYSTEM_ALARM, "SYSTEM_ALARM_ACE_TYPE" },
    { "OA", NTSEC_ACE_ACCESS_ALLOWED_OBJECT, NTSEC__SDDL_ACE_OBJECT,
      NTSEC_ACE_ACCESS_ALLOWED, "ACCESS_ALLOWED_OBJECT_ACE_TYPE" },
    { "OD", NTSEC_ACE_ACCESS_DENIED_OBJECT, NTSEC__SDDL_ACE_OBJECT,
      NTSEC_ACE_ACCESS_DENIED, "ACCESS_DENIED_OBJECT_ACE_TYPE" },
    { "OU", NTSEC_ACE_SYSTEM_AUDIT_OBJECT, NTSEC__SDDL_ACE_OBJECT,
      NTSEC_ACE_SYSTEM_AUDIT, "SYSTEM_AUDIT_OBJECT_ACE_TYPE" },
    { "OL", NTSEC_ACE_SYSTEM_ALARM_OBJECT, NTSEC__SDDL_ACE_OBJECT,
      NTSEC_ACE_SYSTEM_ALARM, "SYSTEM_ALARM_OBJECT_ACE_TYPE" },
    { "XA", NTSEC_ACE_ACCESS_ALLOWED_CALLBACK, NTSEC__SDDL_ACE_CALLBACK,
      NTSEC_ACE_ACCESS_ALLOWED_CALLBACK, "ACCESS_ALLOWED_CALLBACK_ACE_TYPE" },
    { "XD", NTSEC_ACE_ACCESS_DENIED_CALLBACK, NTSEC__SDDL_ACE_CALLBACK,
      NTSEC_ACE_ACCESS_DENIED_CALLBACK, "ACCESS_DENIED_CALLBACK_ACE_TYPE" },
    { "ZA", NTSEC_ACE_ACCESS_ALLOWED_CALLBACK_OBJECT, NTSEC__SDDL_ACE_CALLBACK_OBJECT,
      NTSEC_ACE_ACCESS_ALLOWED_CALLBACK_OBJECT, "ACCESS_ALLOWED_CALLBACK_OBJECT_ACE_TYPE" },
    { "XU", NTSEC_ACE_SYSTEM_AUDIT_CALLBACK, NTSEC__SDDL_ACE_CALLBACK,
      NTSEC_ACE_SYSTEM_AUDIT_CALLBACK, "SYSTEM_AUDIT_CALLBACK_ACE_TYPE" },
    { "ML", NTSEC_ACE_SYSTEM_MANDATORY_LABEL, NTSEC__SDDL_ACE_PLAIN,
      NTSEC_ACE_SYSTEM_MANDATORY_LABEL, "SYSTEM_MANDATORY_LABEL_ACE_TYPE" },
    { "RA", NTSEC_ACE_SYSTEM_RESOURCE_ATTRIBUTE, NTSEC__SDDL_ACE_RESOURCE,
      NTSEC_ACE_SYSTEM_RESOURCE_ATTRIBUTE, "SYSTEM_RESOURCE_ATTRIBUTE_ACE_TYPE" },
    { "SP", NTSEC_ACE_SYSTEM_SCOPED_POLICY_ID, NTSEC__SDDL_ACE_PLAIN,
      NTSEC_ACE_SYSTEM_SCOPED_POLICY_ID, "SYSTEM_SCOPED_POLICY_ID_ACE_TYPE" },
    { "TL", NTSEC_ACE_SYSTEM_PROCESS_TRUST_LABEL, NTSEC__SDDL_ACE_PLAIN,
      NTSEC_ACE_SYSTEM_PROCESS_TRUST_LABEL, "SYSTEM_PROCESS_TRUST_LABEL_ACE_TYPE" },
    /* An access filter ACE carries a condition after its SID, as a
     * callback ACE does (winnt.h SYSTEM_ACCESS_FILTER_ACE). */
    { "FL", NTSEC_ACE_SYSTEM_ACCESS_FILTER, NTSEC__SDDL_ACE_CALLBACK,
      NTSEC_ACE_SYSTEM_ACCESS_FILTER, "SYSTEM_ACCESS_FILTER_ACE_TYPE" },
};

/* In bit order, the order Windows writes them: "OICINPIOIDSAFA" is what
 * ConvertSecurityDescriptorToStringSecurityDescriptor gives for
 * VALID_INHERIT_FLAGS|SA|FA (Windows result asserted by Wine's
 * dlls/advapi32/tests/security.c, test_ConvertSecurityDescriptorToString).
 * CR (CRITICAL_ACE_FLAG) and TP (TRUST_PROTECTED_FILTER_ACE_FLAG) are
 * from sddl.h. */
static const struct ntsec__sddl_ace_flag ace_flags[] = {
    { "OI", NTSEC_ACE_OBJECT_INHERIT,       NTSEC__SDDL_FLAG_ANY, "OBJECT_INHERIT_ACE" },
    { "CI", NTSEC_ACE_CONTAINER_INHERIT,    NTSEC__SDDL_FLAG_ANY, "CONTAINER_INHERIT_ACE" },
    { "NP", NTSEC_ACE_NO_PROPAGATE_INHERIT, NTSEC__SDDL_FLAG_ANY, "NO_PROPAGATE_INHERIT_ACE" },
    { "IO", NTSEC_ACE_INHERIT_ONLY,         NTSEC__SDDL_FLAG_ANY, "INHERIT_ONLY_ACE" },
    { "ID", NTSEC_ACE_INHERITED,            NTSEC__SDDL_FLAG_ANY, "INHERITED_ACE" },
    { "CR", NTSEC_ACE_CRITICAL,             NTSEC__SDDL_FLAG_ANY, "CRITICAL_ACE_FLAG" },
    { "SA", NTSEC_ACE_SUCCESSFUL_ACCESS,    NTSEC__SDDL_FLAG_NOT_FILTER,
      "SUCCESSFUL_ACCESS_ACE_FLAG" },
    { "TP", NTSEC_ACE_SUCCESSFUL_ACCESS,    NTSEC__SDDL_FLAG_FILTER_ONLY,
      "TRUST_PROTECTED_FILTER_ACE_FLAG" },
    { "FA", NTSEC_ACE_FAILED_ACCESS,        NTSEC__SDDL_FLAG_ANY, "FAILED_ACCESS_ACE_FLAG" },
};

/* "ACE Strings" (Microsoft docs). The BIT entries come in bit order, the
 * order Windows decomposes a mask in: 0xe00f0000 is written
 * "SDRCWDWOGXGWGR" and 0xf01ff "CCDCLCSWRPWPDTLOCRSDRCWDWO" (Windows
 * results in Samba's libcli/security/tests/windows/non_canonical.txt).
 * ALIAS entries are written only for an exact match and are tried first:
 * KEY_ALL_ACCESS (0xf003f), which bits could also spell, is written "KA"
 * (Windows results in Samba's tests/data/registry-object-rights.json).
 * KX equals KR (KEY_EXECUTE == KEY_READ), so KR, first, is written. */
static const struct ntsec__sddl_right rights[] = {
    { "CC", 0x00000001, NTSEC__SDDL_RIGHT_BIT, "ADS_RIGHT_DS_CREATE_CHILD" },
    { "DC", 0x00000002, NTSEC__SDDL_RIGHT_BIT, "ADS_RIGHT_DS_DELETE_CHILD" },
    { "LC", 0x00000004, NTSEC__SDDL_RIGHT_BIT, "ADS_RIGHT_ACTRL_DS_LIST" },
    { "SW", 0x00000008, NTSEC__SDDL_RIGHT_BIT, "ADS_RIGHT_DS_SELF" },
    { "RP", 0x00000010, NTSEC__SDDL_RIGHT_BIT, "ADS_RIGHT_DS_READ_PROP" },
    { "WP", 0x00000020, NTSEC__SDDL_RIGHT_BIT, "ADS_RIGHT_DS_WRITE_PROP" },
    { "DT", 0x00000040, NTSEC__SDDL_RIGHT_BIT, "ADS_RIGHT_DS_DELETE_TREE" },
    { "LO", 0x00000080, NTSEC__SDDL_RIGHT_BIT, "ADS_RIGHT_DS_LIST_OBJECT" },
    { "CR", 0x00000100, NTSEC__SDDL_RIGHT_BIT, "ADS_RIGHT_DS_CONTROL_ACCESS" },
    { "SD", NTSEC_DELETE,          NTSEC__SDDL_RIGHT_BIT, "DELETE" },
    { "RC", NTSEC_READ_CONTROL,    NTSEC__SDDL_RIGHT_BIT, "READ_CONTROL" },
    { "WD", NTSEC_WRITE_DAC,       NTSEC__SDDL_RIGHT_BIT, "WRITE_DAC" },
    { "WO", NTSEC_WRITE_OWNER,     NTSEC__SDDL_RIGHT_BIT, "WRITE_OWNER" },
    { "GA", NTSEC_GENERIC_ALL,     NTSEC__SDDL_RIGHT_BIT, "GENERIC_ALL" },
    { "GX", NTSEC_GENERIC_EXECUTE, NTSEC__SDDL_RIGHT_BIT, "GENERIC_EXECUTE" },
    { "GW", NTSEC_GENERIC_WRITE,   NTSEC__SDDL_RIGHT_BIT, "GENERIC_WRITE" },
    { "GR", NTSEC_GENERIC_READ,    NTSEC__SDDL_RIGHT_BIT, "GENERIC_READ" },
    { "FA", 0x001f01ff, NTSEC__SDDL_RIGHT_ALIAS, "FILE_ALL_ACCESS" },
    { "FR", 0x00120089, NTSEC__SDDL_RIGHT_ALIAS, "FILE_GENERIC_READ" },
    { "FW", 0x00120116, NTSEC__SDDL_RIGHT_ALIAS, "FILE_GENERIC_WRITE" },
    { "FX", 0x001200a0, NTSEC__SDDL_RIGHT_ALIAS, "FILE_GENERIC_EXECUTE" },
    { "KA", 0x000f003f, NTSEC__SDDL_RIGHT_ALIAS, "KEY_ALL_ACCESS" },
    { "KR", 0x00020019, NTSEC__SDDL_RIGHT_ALIAS, "KEY_READ" },
    { "KW", 0x00020006, NTSEC__SDDL_RIGHT_ALIAS, "KEY_WRITE" },
    { "KX", 0x00020019, NTSEC__SDDL_RIGHT_ALIAS, "KEY_EXECUTE" },
    { "NW", NTSEC_MANDATORY_NO_WRITE_UP,   NTSEC__SDDL_RIGHT_LABEL,
      "SYSTEM_MANDATORY_LABEL_NO_WRITE_UP" },
    { "NR", NTSEC_MANDATORY_NO_READ_UP,    NTSEC__SDDL_RIGHT_LABEL,
      "SYSTEM_MANDATORY_LABEL_NO_READ_UP" },
    { "NX", NTSEC_MANDATORY_NO_EXECUTE_UP, NTSEC__SDDL_RIGHT_LABEL,
      "SYSTEM_MANDATORY_LABEL_NO_EXECUTE_UP" },
};

/* "Security Descriptor String Format": P, AR, AI, written in this order
 * ("D:ARPAI" comes back as "D:PARAI", Windows result in Samba's
 * libcli/security/tests/windows/non_canonical.txt). */
static const struct ntsec__sddl_acl_flag acl_flags[] = {
    { "P",  NTSEC_SE_DACL_PROTECTED,        NTSEC_SE_SACL_PROTECTED,        "PROTECTED" },
    { "AR", NTSEC_SE_DACL_AUTO_INHERIT_REQ, NTSEC_SE_SACL_AUTO_INHERIT_REQ, "AUTO_INHERIT_REQ" },
    { "AI", NTSEC_SE_DACL_AUTO_INHERITED,   NTSEC_SE_SACL_AUTO_INHERITED,   "AUTO_INHERITED" },
};

const struct ntsec__sddl_ace_type *ntsec__sddl_ace_type_by_letters(const char *s, size_t len)
{
    for (size_t i = 0; i < COUNT(ace_types); i++)
        if (strlen(ace_types[i].letters) == len && strncasecmp(ace_types[i].letters, s, len) == 0)
            return &ace_types[i];
    return NULL;
}

const struct ntsec__sddl_ace_type *ntsec__sddl_ace_type_by_value(uint8_t type)
{
    for (size_t i = 0; i < COUNT(ace_types); i++)
        if (ace_types[i].type == type)
            return &ace_types[i];
    return NULL;
}

size_t ntsec__sddl_ace_type_count(void)
{
    return COUNT(ace_types);
}

const struct ntsec__sddl_ace_type *ntsec__sddl_ace_type_at(size_t i)
{
    return i < COUNT(ace_types) ? &ace_types[i] : NULL;
}

bool ntsec__sddl_layout_is_object(uint8_t layout)
{
    return layout == NTSEC__SDDL_ACE_OBJECT || layout == NTSEC__SDDL_ACE_CALLBACK_OBJECT;
}

bool ntsec__sddl_ace_flag_by_letters(const char *two, uint8_t *flag)
{
    for (size_t i = 0; i < COUNT(ace_flags); i++)
        if (strncasecmp(ace_flags[i].letters, two, 2) == 0) {
            *flag = ace_flags[i].flag;
            return true;
        }
    return false;
}

size_t ntsec__sddl_ace_flag_count(void)
{
    return COUNT(ace_flags);
}

const struct ntsec__sddl_ace_flag *ntsec__sddl_ace_flag_at(size_t i)
{
    return i < COUNT(ace_flags) ? &ace_flags[i] : NULL;
}

bool ntsec__sddl_right_by_letters(const char *two, uint32_t *mask)
{
    for (size_t i = 0; i < COUNT(rights); i++)
        if (strncasecmp(rights[i].letters, two, 2) == 0) {
            *mask = rights[i].mask;
            return true;
        }
    return false;
}

size_t ntsec__sddl_right_count(void)
{
    return COUNT(rights);
}

const struct ntsec__sddl_right *ntsec__sddl_right_at(size_t i)
{
    return i < COUNT(rights) ? &rights[i] : NULL;
}

const struct ntsec__sddl_right *ntsec__sddl_right_named(uint32_t mask, bool label)
{
    for (size_t i = 0; i < COUNT(rights); i++) {
        bool is_label = rights[i].kind == NTSEC__SDDL_RIGHT_LABEL;

        /* Bits 0..2 are NW/NR/NX in a label ACE and CC/DC/LC elsewhere;
         * a label ACE uses its three letters only. */
        if (label ? !is_label : is_label)
            continue;
        if (rights[i].mask == mask)
            return &rights[i];
    }
    return NULL;
}

size_t ntsec__sddl_acl_flag_match(const char *s, const struct ntsec__sddl_acl_flag **out)
{
    /* Two-letter flags first so that "AR"/"AI" are never cut short. */
    for (size_t want = 2; want >= 1; want--)
        for (size_t i = 0; i < COUNT(acl_flags); i++) {
            size_t n = strlen(acl_flags[i].letters);

            if (n == want && strncasecmp(acl_flags[i].letters, s, n) == 0) {
                *out = &acl_flags[i];
                return n;
            }
        }
    return 0;
}

size_t ntsec__sddl_acl_flag_count(void)
{
    return COUNT(acl_flags);
}

const struct ntsec__sddl_acl_flag *ntsec__sddl_acl_flag_at(size_t i)
{
    return i < COUNT(acl_flags) ? &acl_flags[i] : NULL;
}
