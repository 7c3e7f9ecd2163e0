/* digits.h - the value of a digit character in bases up to 16, for the
 * parsers of SID strings, SDDL numbers and conditional-ACE literals. */
#ifndef NTSEC_LIBSEC_DIGITS_H
#define NTSEC_LIBSEC_DIGITS_H

/* 0..15 for 0-9, a-f, A-F; 99 for anything else, so that `value < base`
 * tells whether the character continues a number in that base. */
static inline int ntsec__digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return 99;
}

#endif
