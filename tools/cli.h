/* cli.h - the commands of the ntsec tool; each takes argv from its own
 * name on and returns the process exit status. */
#ifndef NTSEC_TOOLS_CLI_H
#define NTSEC_TOOLS_CLI_H

struct cli_command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

int cli_sddl(int argc, char **argv);
int cli_access(int argc, char **argv);
int cli_demo(int argc, char **argv);
int cli_world(int argc, char **argv);
int cli_whoami(int argc, char **argv);

/* The client-and-service part of `ntsec demo` (demo_impersonation.c). */
int demo_impersonation(void);

#endif
