/* cli.h - the commands of the ntsec tool; each takes argv from its own
 * name on and returns the process exit status. */
#ifndef NTSEC_TOOLS_CLI_H
#define NTSEC_TOOLS_CLI_H

#include <stddef.h>

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

struct ntsec_token;

/* DOMAIN\\user of a token, or its SID string (demo_impersonation.c). */
void demo_user_name(const struct ntsec_token *token, char *out, size_t size);

/* The COM call chain of `ntsec demo com` (demo_com.c); argv holds its
 * options only (--mermaid FILE, --svg FILE). */
int demo_com(int argc, char **argv);

#endif
