/* Commands that may install Python packages in ways the plan does not read: a script run
 * from the build context, and the distribution's own python3-* packages on an image whose
 * interpreter is the distribution's. Each becomes an entry of plan->unknowns, so that the
 * audit never says "nothing provides X" while one of them is in the image. Nothing is run:
 * a script is only read, for the install commands it names. */
#include "image/commands/install_command.h"

#include "image/requirements/requirement_text.h"

#include <stdlib.h>
#include <string.h>

static bool ends_with_sh(const char *w)
{
    return da_str_ends_with(w, ".sh") || da_str_ends_with(w, ".bash");
}

/* Whether a script's text names an installer. */
static bool mentions_installer(const char *s, size_t n)
{
    static const char *const words[] = {"pip install",      "pip3 install",  "-m pip",
                                        "uv pip",           "uv sync",       "poetry install",
                                        "pipenv install",   "conda install", "mamba install",
                                        "setup.py install", "easy_install",  "pipx install"};
    char *text = da_xstrndup(s, n);
    bool hit = false;
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]) && !hit; i++)
        hit = strstr(text, words[i]) != NULL;
    free(text);
    return hit;
}

/* `./install.sh`, `sh scripts/setup.sh`, `bash -e x.sh`: the script's path, or NULL. */
static const char *script_of(const sh_command *c, size_t i)
{
    const char *bn = rt_base_name(c->words[i].value);
    if (ends_with_sh(c->words[i].value))
        return c->words[i].value;
    if (strcmp(bn, "sh") != 0 && strcmp(bn, "bash") != 0 && strcmp(bn, "dash") != 0 &&
        strcmp(bn, "source") != 0 && strcmp(bn, ".") != 0)
        return NULL;
    for (size_t k = i + 1; k < c->nwords; k++) {
        const char *w = c->words[k].value;
        if (strcmp(w, "-c") == 0)
            return NULL; /* inline commands: install_command.c says what it does with them */
        if (w[0] != '-')
            return ends_with_sh(w) ? w : NULL;
    }
    return NULL;
}

static void check_script(pl_builder *b, const char *script, const ic_state *s, int line)
{
    char *path = rt_join_path(s->cwd, script);
    rq_content c;
    memset(&c, 0, sizeof(c));
    char *why = NULL;
    if (pl_resolve_file(b, b->cur, path, &c, &why) < 0)
        pl_unknown(b, line, "%s is a script the plan cannot read (%s): what it installs is unknown",
                   script, why ? why : "not in the image");
    else if (mentions_installer(c.text.s, c.text.len))
        pl_unknown(b, line,
                   "%s runs install commands the plan does not follow: what it "
                   "installs is unknown",
                   script);
    rq_content_free(&c);
    free(why);
    free(path);
}

/* apt-get/apt/apk/dnf/yum install python3-X (py3-X on Alpine) on an image whose Python is
 * the distribution's: those packages are the environment, and they are not modelled. On
 * the official python images they land in another interpreter's directory. */
static void check_system_packages(pl_builder *b, const sh_command *c, size_t i, int line)
{
    const char *bn = rt_base_name(c->words[i].value);
    if (strcmp(bn, "apt-get") != 0 && strcmp(bn, "apt") != 0 && strcmp(bn, "apk") != 0 &&
        strcmp(bn, "dnf") != 0 && strcmp(bn, "yum") != 0 && strcmp(bn, "microdnf") != 0)
        return;
    bool install = false;
    for (size_t k = i + 1; k < c->nwords && !install; k++)
        install =
            strcmp(c->words[k].value, "install") == 0 || strcmp(c->words[k].value, "add") == 0;
    if (!install)
        return;
    pl_python py;
    pl_python_from_image(b->stages[b->cur].image ? b->stages[b->cur].image : "", &py);
    if (py.official)
        return;
    for (size_t k = i + 1; k < c->nwords; k++) {
        const char *w = c->words[k].value;
        if ((da_str_starts_with(w, "python3-") || da_str_starts_with(w, "py3-")) &&
            strcmp(w, "python3-pip") != 0 && strcmp(w, "py3-pip") != 0 &&
            strcmp(w, "python3-venv") != 0 && strcmp(w, "python3-dev") != 0) {
            pl_unknown(b, line, "%s %s: the distribution's Python packages are not modelled", bn,
                       w);
            return;
        }
    }
}

void ic_unread_steps(pl_builder *b, const sh_command *c, const ic_state *s, int line, size_t i)
{
    if (i >= c->nwords)
        return;
    const char *script = script_of(c, i);
    if (script)
        check_script(b, script, s, line);
    else
        check_system_packages(b, c, i, line);
}
