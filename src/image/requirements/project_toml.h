/* What the readers of TOML project files share: pyproject.c (pyproject.toml, Pipfile),
 * poetry.c (Poetry's and the Pipfile's dependency tables). Internal to requirements/. */
#ifndef DEPAUDIT_IMAGE_PROJECT_TOML_H
#define DEPAUDIT_IMAGE_PROJECT_TOML_H

#include "depaudit/toml.h"
#include "image/requirements/pyproject.h"

typedef struct rq_toml {
    const rq_content *c; /* the text the document was parsed from, mapped to the host file */
    const da_toml *doc;
    da_pyproject *out;
    da_strlist includes;       /* [dependency-groups] includes: "GROUP=INCLUDED" */
    da_strlist poetry_extras;  /* [tool.poetry.extras]: "EXTRA=DISTRIBUTION" */
    bool static_dependencies;  /* [project].dependencies was read */
    bool dynamic_dependencies; /* [project].dynamic names them */
    bool pipfile;              /* reading a Pipfile: [packages] and [dev-packages] */
} rq_toml;

/* The host file's line of a byte offset in the document. */
int rq_toml_line(const rq_toml *t, size_t text_off);
/* A new requirement list of the file in out->lists; its index. */
size_t rq_toml_new_list(rq_toml *t, const char *style, const char *separator);
/* A requirement whose text spans document bytes s..e, into out->dependencies (group NULL)
 * or out->optional, on list `list`. */
void rq_toml_add_req(rq_toml *t, const char *text, const char *group, size_t s, size_t e,
                     size_t list);

/* The group of a Poetry dependency marked optional while the document is read: the
 * [tool.poetry.extras] table then gives it the group "extra:NAME" of each extra naming it. */
#define RQ_POETRY_OPTIONAL "poetry-optional"

/* poetry.c: `name = "^1.2"` or `name = {version = ..., extras = [...], markers = ...}` of
 * a Poetry dependency table or a Pipfile's [packages]; *list is created on first use. */
void rq_poetry_dep(rq_toml *t, const da_toml_pair *p, const char *name, const char *group,
                   size_t *list);
/* Poetry's constraint syntax (`^1.2`, `~1`, `1.2.*`, `>=1,<2`, `||`) in PEP 440; *lossy when
 * it has no exact PEP 440 form (then the first alternative). */
char *rq_poetry_constraint(const char *c, bool *lossy);

#endif
