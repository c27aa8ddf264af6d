/* A requirement whose version constraint sh took as redirections: `pip install pkg>=1.0`
 * unquoted is `pip install pkg >=1.0`, pip's output written to a file named "=1.0" and the
 * constraint lost; `pkg<2` reads a file named "2", which sh cannot open, so pip never runs.
 * What sh did, and the quoted text that fixes it, go on the requirement (DA011). */
#include "image/commands/install_command.h"

#include "image/requirements/requirement_text.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* The first redirection's target reads as the rest of a version clause: "=1.0", "1.0",
 * "=1.0,<2", "=*". */
static bool version_like(const char *t)
{
    if (*t == '=')
        t++;
    return isdigit((unsigned char)*t) || *t == '*' || (*t == 'v' && isdigit((unsigned char)t[1]));
}

/* The requirement meant, quoted so that sh hands it to pip whole. raw is the text as written
 * (the word with its quotes and the redirections); outer is the quote of a `sh -c` body it
 * sits in. NULL when no quoting says it faithfully. */
static char *quote_for_sh(const char *raw, const char *intended, char outer)
{
    bool plain = strpbrk(raw, "\"'\\`") == NULL;
    if (plain && outer != '"')
        return da_xasprintf("\"%s\"", raw); /* variables in it still expand */
    if (plain && !strchr(raw, '$'))
        return da_xasprintf("'%s'", raw);
    /* quoted parts: quote what pip should get, when it needs no expansion */
    if (strpbrk(intended, "\"'\\`$"))
        return NULL;
    return outer == '"' ? da_xasprintf("'%s'", intended) : da_xasprintf("\"%s\"", intended);
}

/* Whether path names a file the stage holds (sh could open it). */
static bool image_has(pl_builder *b, const char *cwd, const char *name)
{
    char *path = rt_join_path(cwd, name);
    rq_content content;
    char *why = NULL;
    bool found = pl_resolve_file(b, b->cur, path, &content, &why) == 0;
    if (found)
        rq_content_free(&content);
    free(why);
    free(path);
    return found;
}

void ic_shell_specifier(pl_builder *b, const sh_command *c, size_t word, da_plan_requirement *r,
                        const char *cwd)
{
    const sh_word *w = &c->words[word];
    da_buf consumed = {0};
    da_buf_puts(&consumed, "");
    const sh_redirect *first = NULL, *last = NULL, *input = NULL;
    for (size_t k = 0; k < c->nredirects; k++) {
        const sh_redirect *rd = &c->redirects[k];
        if (!rd->glued || rd->word != word)
            continue;
        if (!first)
            first = rd;
        last = rd;
        if (rd->op[0] == '<' && !input)
            input = rd;
        da_buf_printf(&consumed, "%s%s", rd->op, rd->target.value);
    }
    if (!first || (first->op[0] != '>' && first->op[0] != '<') ||
        !version_like(first->target.value)) {
        da_buf_free(&consumed);
        return;
    }
    da_shell_specifier *sh = da_xcalloc(1, sizeof(*sh));
    sh->consumed = da_buf_take(&consumed);
    sh->intended = da_xasprintf("%s%s", w->value, sh->consumed);
    sh->dir = da_xstrdup(cwd);
    const sh_redirect *shown = input ? input : first;
    sh->file = da_xstrdup(shown->target.value);
    if (input && !image_has(b, cwd, input->target.value))
        sh->effect = c->status_checked ? DA_SHELL_BUILD_FAILS : DA_SHELL_NOT_RUN;
    else
        sh->effect = DA_SHELL_CONSTRAINT_LOST;
    size_t start = w->quote ? w->start - 1 : w->start;
    size_t end = last->end;
    int line = df_line_of(&b->df, start);
    rt_span_set(&sh->span, b->df.path, line, df_col_of(&b->df, start), start, end);
    if (end > start && end <= b->df_len && !memchr(b->df_data + start, '\n', end - start)) {
        sh->written = da_xstrndup(b->df_data + start, end - start);
        sh->quoted = quote_for_sh(sh->written, sh->intended, c->shell_c_quote);
    }
    r->shell = sh;
}
