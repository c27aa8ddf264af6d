/* conda, mamba and micromamba. Their packages come from conda channels under conda's names
 * (which differ from the distributions the audit knows: `pytorch`, `pyyaml`, `py-opencv`),
 * into an environment that may or may not be the one the container's Python runs. None of
 * that is modelled yet, so a command that changes an environment is an unknown of the plan:
 * the audit then says what it cannot know (DA012) instead of calling every import it
 * provides missing. Commands that only read (info, list, config, clean, env export) and
 * `activate`/`init` change nothing installed and are skipped. */
#include "image/commands/install_command.h"
#include "image/requirements/requirement_text.h"

#include <stdlib.h>
#include <string.h>

static bool is_one_of(const char *w, const char *const *set)
{
    for (size_t i = 0; set[i]; i++)
        if (strcmp(w, set[i]) == 0)
            return true;
    return false;
}

/* The subcommand's index: the first word after exe_i that is not an option (conda's global
 * options before it take no value, except micromamba's -r/--root-prefix). */
static size_t subcommand(const sh_command *c, size_t exe_i)
{
    for (size_t k = exe_i + 1; k < c->nwords; k++) {
        const char *w = c->words[k].value;
        if (strcmp(w, "-r") == 0 || strcmp(w, "--root-prefix") == 0) {
            k++;
            continue;
        }
        if (w[0] != '-')
            return k;
    }
    return c->nwords;
}

/* The file given by -f/--file (`-f environment.yml`, `--file=env.yaml`), NULL if none. */
static const char *file_option(const sh_command *c, size_t from)
{
    for (size_t k = from; k < c->nwords; k++) {
        const char *w = c->words[k].value;
        if ((strcmp(w, "-f") == 0 || strcmp(w, "--file") == 0) && k + 1 < c->nwords)
            return c->words[k + 1].value;
        if (strncmp(w, "--file=", 7) == 0)
            return w + 7;
    }
    return NULL;
}

void ic_conda(pl_builder *b, const sh_command *c, int line, size_t exe_i)
{
    static const char *const changing[] = {"install", "create", "update", "upgrade", "run", NULL};
    static const char *const env_changing[] = {"create", "update", NULL};
    const char *bn = rt_base_name(c->words[exe_i].value);
    size_t k = subcommand(c, exe_i);
    if (k >= c->nwords)
        return;
    const char *sub = c->words[k].value;
    char *what = NULL;
    if (strcmp(sub, "env") == 0) {
        size_t e = k + 1;
        while (e < c->nwords && c->words[e].value[0] == '-')
            e++;
        if (e < c->nwords && is_one_of(c->words[e].value, env_changing)) {
            const char *file = file_option(c, e + 1);
            what = da_xasprintf("%s env %s%s%s", bn, c->words[e].value, file ? " -f " : "",
                                file ? file : "");
        }
    } else if (is_one_of(sub, changing)) {
        const char *file = file_option(c, k + 1);
        what = da_xasprintf("%s %s%s%s", bn, sub, file ? " -f " : "", file ? file : "");
    }
    if (!what)
        return;
    pl_unknown(b, line,
               "`%s` installs conda packages, which are not modelled: what it installs is "
               "unknown",
               what);
    free(what);
}
