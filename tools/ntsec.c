/* ntsec.c - the ntsec command-line tool: dispatch to its commands. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct cli_command commands[] = {
    { "sddl", cli_sddl, "encode, decode or explain security descriptors in SDDL" },
    { "access", cli_access, "check access to a descriptor for a token, step by step" },
    { "demo", cli_demo, "a guided tour of what ntsec does" },
    { "world", cli_world, "show the account world, or check a world file" },
    { "whoami", cli_whoami, "the user, groups and privileges of a token, as Windows' whoami" },
};

static int usage(FILE *out)
{
    fprintf(out, "usage: ntsec COMMAND [ARGS...]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage(stderr);
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "ntsec: unknown command '%s'\n", argv[1]);
    return usage(stderr);
}
