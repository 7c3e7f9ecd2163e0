/* fuzz_condace.c - conditional ACE expressions, both ways: the first byte
 * picks text (compile, then format and compile again to the same bytes) or
 * binary (format must never read past the end). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "condace.h"
#include "strbuf.h"

static void text_case(const uint8_t *data, size_t size)
{
    uint8_t *bin, *bin2;
    size_t len, len2;
    struct ntsec__strbuf sb = NTSEC__STRBUF_INIT;
    char *text;

    if (!ntsec_success(ntsec__cond_compile((const char *)data, size, &bin, &len, NULL)))
        return;
    if (ntsec__cond_format(bin, len, &sb) != NTSEC_STATUS_SUCCESS ||
        ntsec__strbuf_finish(&sb, &text, &len2) != NTSEC_STATUS_SUCCESS)
        abort();
    if (!ntsec_success(ntsec__cond_compile(text, len2, &bin2, &len2, NULL)) ||
        len2 != len || memcmp(bin, bin2, len))
        abort();
    ntsec__free(bin2);
    ntsec__free(text);
    ntsec__free(bin);
}

static void binary_case(const uint8_t *data, size_t size)
{
    uint8_t *copy = malloc(size ? size : 1);
    struct ntsec__strbuf sb = NTSEC__STRBUF_INIT;

    memcpy(copy, data, size);
    (void)ntsec__cond_format(copy, size, &sb);
    ntsec__strbuf_discard(&sb);
    free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    if (data[0] & 1)
        text_case(data + 1, size - 1);
    else
        binary_case(data + 1, size - 1);
    return 0;
}
