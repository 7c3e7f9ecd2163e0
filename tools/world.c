/* world.c - `ntsec world show` prints the current account world in the
 * world file format; `ntsec world check FILE` reads a world file and says
 * which line is wrong. Exit 0 when good, 1 for a bad file, 2 for a usage
 * error. The format is docs/world.md. */
#include <stdio.h>
#include <string.h>

#include <ntsec/ntsec.h>

#include "cli.h"

static int usage(FILE *out)
{
    fprintf(out, "usage: ntsec world show         print the current world (NTSEC_WORLD or the default)\n"
                 "       ntsec world check FILE   check a world file\n");
    return 2;
}

static int show(void)
{
    char *text = NULL;
    ntsec_status st = ntsec_world_describe(&text);

    if (st != NTSEC_STATUS_SUCCESS) {
        fprintf(stderr, "ntsec world: %s\n", ntsec_status_name(st));
        return 1;
    }
    fputs(text, stdout);
    ntsec_mem_free(text);
    return 0;
}

/* Checking a file loads it; the world this process runs with is put back
 * afterwards (the process ends right away anyway). */
static int check(const char *path)
{
    unsigned line = 0;
    const char *why = NULL;
    ntsec_status st = ntsec_world_load(path, &line, &why);

    if (st == NTSEC_STATUS_SUCCESS) {
        printf("%s: ok\n", path);
        ntsec_world_reset();
        return 0;
    }
    if (st == NTSEC_STATUS_OBJECT_NAME_NOT_FOUND)
        fprintf(stderr, "%s: cannot open the file\n", path);
    else if (st == NTSEC_STATUS_INVALID_PARAMETER)
        fprintf(stderr, "%s:%u: %s\n", path, line, why ? why : "invalid");
    else
        fprintf(stderr, "%s: %s\n", path, ntsec_status_name(st));
    return 1;
}

int cli_world(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "show"))
        return show();
    if (argc == 3 && !strcmp(argv[1], "check"))
        return check(argv[2]);
    if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        usage(stdout);
        return 0;
    }
    return usage(stderr);
}
