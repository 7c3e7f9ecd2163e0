/* token_adjust.c - changing a token in place: NtAdjustPrivilegesToken
 * (AdjustTokenPrivileges) and NtAdjustGroupsToken (AdjustTokenGroups).
 *
 * Both follow the kernel's two passes: under the token's lock, first
 * decide every change and check it (a refused group, a PreviousState
 * buffer too small) without touching the token, then publish all of it
 * in the same seqlock write. A failure changes nothing, and a reader sees
 * either the old state or the new one, never half of a change. */
#include <string.h>

#include "token.h"

/* --- privileges --------------------------------------------------------- */

/* TOKEN_PRIVILEGES on x64: a ULONG count, then LUID_AND_ATTRIBUTES of 12
 * bytes each (winnt.h); 4 + 12 * n bytes. */
#define TP_HEADER 4u
#define TP_ENTRY  12u

static bool privilege_bit(struct ntsec_luid luid, uint64_t *bit)
{
    if (luid.high != 0 || luid.low < NTSEC_SE_MIN_PRIVILEGE || luid.low > NTSEC_SE_MAX_PRIVILEGE)
        return false;
    *bit = 1ull << luid.low;
    return true;
}

static uint32_t privilege_attributes(uint64_t bit, uint64_t enabled, uint64_t by_default)
{
    return (enabled & bit ? NTSEC_SE_PRIVILEGE_ENABLED : 0) |
           (by_default & bit ? NTSEC_SE_PRIVILEGE_ENABLED_BY_DEFAULT : 0);
}

ntsec_status ntsec_token_adjust_privileges(struct ntsec_token *token, bool disable_all,
                                           const struct ntsec_luid_and_attributes *changes,
                                           uint32_t count, void *previous, uint32_t previous_size,
                                           uint32_t *needed)
{
    struct ntsec_luid_and_attributes old[NTSEC_SE_MAX_PRIVILEGE + 1];
    uint64_t present, enabled, by_default, new_enabled, removed = 0, claimed = 0;
    uint32_t changed = 0, size;
    bool missing = false;

    /* NewState may be NULL only with DisableAllPrivileges, and a caller
     * asking for PreviousState must take ReturnLength (NtAdjustPrivilegesToken
     * returns STATUS_INVALID_PARAMETER for the first; ReactOS
     * ntoskrnl/se/tokenadj.c; AdjustTokenPrivileges, Microsoft docs). */
    if (!token || (!disable_all && !changes) || (previous && !needed))
        return NTSEC_STATUS_INVALID_PARAMETER;

    ntsec__token_write_begin(token);
    present = atomic_load_explicit(&token->priv_present, memory_order_relaxed);
    enabled = atomic_load_explicit(&token->priv_enabled, memory_order_relaxed);
    by_default = atomic_load_explicit(&token->priv_enabled_by_default, memory_order_relaxed);

    /* DisableAllPrivileges ignores NewState (AdjustTokenPrivileges,
     * Microsoft docs). Otherwise each privilege takes the first entry that
     * names it; of the entry only SE_PRIVILEGE_ENABLED and
     * SE_PRIVILEGE_REMOVED count, ENABLED_BY_DEFAULT stays as it was. An
     * entry naming a privilege the token lacks is skipped and makes the
     * result STATUS_NOT_ALL_ASSIGNED, a success: the others are still
     * applied (AdjustTokenPrivileges, Return value, Microsoft docs). */
    new_enabled = disable_all ? 0 : enabled;
    for (uint32_t i = 0; !disable_all && i < count; i++) {
        uint64_t bit;

        if (!privilege_bit(changes[i].luid, &bit) || !(present & bit)) {
            missing = true;
            continue;
        }
        if (claimed & bit)
            continue;
        claimed |= bit;
        if (changes[i].attributes & NTSEC_SE_PRIVILEGE_REMOVED)
            removed |= bit;
        else if (changes[i].attributes & NTSEC_SE_PRIVILEGE_ENABLED)
            new_enabled |= bit;
        else
            new_enabled &= ~bit;
    }
    new_enabled &= ~removed;

    /* PreviousState lists only the privileges whose attributes change,
     * with their old attributes, in the token's order (LUID order here);
     * a removed privilege always counts as changed. */
    for (uint32_t luid = NTSEC_SE_MIN_PRIVILEGE; luid <= NTSEC_SE_MAX_PRIVILEGE; luid++) {
        uint64_t bit = 1ull << luid;

        if ((present & bit) && (((enabled ^ new_enabled) & bit) || (removed & bit))) {
            old[changed].luid = (struct ntsec_luid){ luid, 0 };
            old[changed].attributes = privilege_attributes(bit, enabled, by_default);
            changed++;
        }
    }

    /* The kernel sizes PreviousState before changing anything: too small
     * fails with STATUS_BUFFER_TOO_SMALL, the size needed in ReturnLength,
     * and the token untouched. Without PreviousState, ReturnLength is not
     * written (AdjustTokenPrivileges leaves it as it was: Windows result
     * asserted by Wine's dlls/advapi32/tests/security.c,
     * test_AdjustTokenPrivileges). */
    size = TP_HEADER + TP_ENTRY * changed;
    if (previous) {
        *needed = size;
        if (previous_size < size) {
            ntsec__token_write_end(token, false);
            return NTSEC_STATUS_BUFFER_TOO_SMALL;
        }
        memcpy(previous, &changed, sizeof(changed));
        memcpy((char *)previous + TP_HEADER, old, TP_ENTRY * changed);
    }

    if (changed) {
        atomic_store_explicit(&token->priv_present, present & ~removed, memory_order_relaxed);
        atomic_store_explicit(&token->priv_enabled, new_enabled, memory_order_relaxed);
        atomic_store_explicit(&token->priv_enabled_by_default, by_default & ~removed,
                              memory_order_relaxed);
    }
    /* ModifiedId moves only when something changed (ReactOS
     * NtAdjustPrivilegesToken: a new LUID only when changes were made). */
    ntsec__token_write_end(token, changed != 0);
    return missing ? NTSEC_STATUS_NOT_ALL_ASSIGNED : NTSEC_STATUS_SUCCESS;
}

_Static_assert(sizeof(struct ntsec_luid_and_attributes) == TP_ENTRY, "LUID_AND_ATTRIBUTES is 12 bytes");

/* --- groups ------------------------------------------------------------- */

/* TOKEN_GROUPS on x64: a ULONG count padded to 8, SID_AND_ATTRIBUTES of 16
 * bytes each, then the SIDs they point to (winnt.h). */
#define TG_HEADER 8u
#define TG_ENTRY  16u

_Static_assert(sizeof(struct ntsec_sid_and_attributes) == TG_ENTRY, "SID_AND_ATTRIBUTES is 16 bytes");

/* Only the groups can be adjusted: not the user (position 0), which the
 * kernel's walk starts after, and not the integrity label, which is not
 * a group one enables (it carries SE_GROUP_INTEGRITY, not
 * SE_GROUP_ENABLED). Naming either counts as a SID not in the token. */
static bool adjustable(const struct ntsec_token *t, uint32_t pos)
{
    return pos != 0 && pos != t->integrity_pos &&
           !(atomic_load_explicit(&t->sids[pos].attributes, memory_order_relaxed) &
             NTSEC_SE_GROUP_INTEGRITY);
}

/* The first entry of `changes` that names the group at `pos`, or NULL. */
static const struct ntsec_sid_and_attributes *
request_for(const struct ntsec_token *t, uint32_t pos,
            const struct ntsec_sid_and_attributes *changes, uint32_t count)
{
    for (uint32_t i = 0; i < count; i++)
        if (ntsec_sid_equal(changes[i].sid, t->sids[pos].sid))
            return &changes[i];
    return NULL;
}

/* The attributes group `pos` gets, or a refusal in *st. */
static uint32_t group_target(const struct ntsec_token *t, uint32_t pos, bool reset,
                             const struct ntsec_sid_and_attributes *changes, uint32_t count,
                             ntsec_status *st)
{
    uint32_t old = atomic_load_explicit(&t->sids[pos].attributes, memory_order_relaxed);
    const struct ntsec_sid_and_attributes *req;
    bool enable;

    *st = NTSEC_STATUS_SUCCESS;
    if (reset) {
        /* ResetToDefault: every group back to SE_GROUP_ENABLED_BY_DEFAULT
         * (AdjustTokenGroups, Microsoft docs). A deny-only SID is never
         * enabled again: "no process is ever allowed to remove a deny-only
         * attribute from a SID" (Windows 2000 Resource Kit, SID
         * Attributes). */
        enable = (old & NTSEC_SE_GROUP_ENABLED_BY_DEFAULT) &&
                 !(old & NTSEC_SE_GROUP_USE_FOR_DENY_ONLY);
    } else {
        req = request_for(t, pos, changes, count);
        if (!req)
            return old;
        enable = req->attributes & NTSEC_SE_GROUP_ENABLED;
        /* AdjustTokenGroups cannot disable a SE_GROUP_MANDATORY group nor
         * enable a SE_GROUP_USE_FOR_DENY_ONLY one (AdjustTokenGroups,
         * Remarks, Microsoft docs; STATUS_CANT_DISABLE_MANDATORY and
         * STATUS_CANT_ENABLE_DENY_ONLY as ReactOS SepAdjustGroups). */
        if ((old & NTSEC_SE_GROUP_MANDATORY) && !enable) {
            *st = NTSEC_STATUS_CANT_DISABLE_MANDATORY;
            return old;
        }
        if ((old & NTSEC_SE_GROUP_USE_FOR_DENY_ONLY) && enable) {
            *st = NTSEC_STATUS_CANT_ENABLE_DENY_ONLY;
            return old;
        }
    }
    return (old & ~NTSEC_SE_GROUP_ENABLED) | (enable ? NTSEC_SE_GROUP_ENABLED : 0);
}

ntsec_status ntsec_token_adjust_groups(struct ntsec_token *token, bool reset_to_default,
                                       const struct ntsec_sid_and_attributes *changes,
                                       uint32_t count, void *previous, uint32_t previous_size,
                                       uint32_t *needed)
{
    uint64_t size = TG_HEADER;
    uint32_t changed = 0;
    bool missing = false;
    ntsec_status st;

    /* NewState may be NULL only with ResetToDefault (NtAdjustGroupsToken:
     * STATUS_INVALID_PARAMETER, ReactOS ntoskrnl/se/tokenadj.c); every SID
     * given must be valid, as the kernel's capture of NewState checks. */
    if (!token || (!reset_to_default && !changes) || (previous && !needed))
        return NTSEC_STATUS_INVALID_PARAMETER;
    if (!reset_to_default)
        for (uint32_t i = 0; i < count; i++)
            if (!ntsec_sid_is_valid(changes[i].sid))
                return NTSEC_STATUS_INVALID_SID;

    ntsec__token_write_begin(token);

    /* Pass 1: decide and check every group in the token's order (so the
     * first refused group in that order names the error), and size
     * PreviousState. Nothing is written yet. */
    for (uint32_t pos = 1; pos < token->sid_count; pos++) {
        uint32_t old, want;

        if (!adjustable(token, pos))
            continue;
        old = atomic_load_explicit(&token->sids[pos].attributes, memory_order_relaxed);
        want = group_target(token, pos, reset_to_default, changes, count, &st);
        if (!ntsec_success(st)) {
            ntsec__token_write_end(token, false);
            return st;
        }
        if (want != old) {
            changed++;
            size += TG_ENTRY + ntsec_sid_length(token->sids[pos].sid);
        }
    }
    /* A SID that is not an adjustable group of the token is skipped and
     * makes the result STATUS_NOT_ALL_ASSIGNED (AdjustTokenGroups, Return
     * value, Microsoft docs). */
    for (uint32_t i = 0; !reset_to_default && i < count; i++) {
        uint32_t pos = ntsec__sid_index_find(&token->index, token->sids, changes[i].sid);

        if (pos == NTSEC__NO_INDEX || !adjustable(token, pos))
            missing = true;
    }

    /* As for privileges: PreviousState is sized before anything changes. */
    if (previous) {
        *needed = (uint32_t)size;
        if (previous_size < size) {
            ntsec__token_write_end(token, false);
            return NTSEC_STATUS_BUFFER_TOO_SMALL;
        }
    }

    /* Pass 2: publish, and write the old state of each changed group
     * (attributes and a copy of its SID) in the token's order. */
    {
        char *entry = previous ? (char *)previous + TG_HEADER : NULL;
        char *sid_at = previous ? entry + (size_t)TG_ENTRY * changed : NULL;

        for (uint32_t pos = 1; pos < token->sid_count; pos++) {
            uint32_t old, want;

            if (!adjustable(token, pos))
                continue;
            old = atomic_load_explicit(&token->sids[pos].attributes, memory_order_relaxed);
            want = group_target(token, pos, reset_to_default, changes, count, &st);
            if (want == old)
                continue;
            if (previous) {
                struct ntsec_sid_and_attributes sa = { (const struct ntsec_sid *)sid_at, old };
                size_t len = ntsec_sid_length(token->sids[pos].sid);

                memcpy(entry, &sa, sizeof(sa));
                memcpy(sid_at, token->sids[pos].sid, len);
                entry += TG_ENTRY;
                sid_at += len;
            }
            atomic_store_explicit(&token->sids[pos].attributes, want, memory_order_relaxed);
        }
        if (previous) {
            uint32_t header[2] = { changed, 0 };    /* count, padding */

            memcpy(previous, header, sizeof(header));
        }
    }
    ntsec__token_write_end(token, changed != 0);
    return missing ? NTSEC_STATUS_NOT_ALL_ASSIGNED : NTSEC_STATUS_SUCCESS;
}
