/* One requirement argument or requirements-file line, classified the way pip does:
 * PEP 508, a local path (project directory, wheel, archive), or a bare URL. */
#ifndef DEPAUDIT_IMAGE_REQUIREMENT_TEXT_H
#define DEPAUDIT_IMAGE_REQUIREMENT_TEXT_H

#include "depaudit/install_plan.h"

/* Fills r from text. cwd (absolute, in the image) makes a relative local path absolute;
 * it may be NULL. On a PEP 508 error *problem holds a message (caller frees) and r->kind
 * is DA_REQ_INVALID. */
void rt_classify(da_plan_requirement *r, const char *text, const char *cwd, bool editable,
                 char **problem);
/* The extras of a local path requirement (`.[dev,test]`), "" if none; path without them. */
char *rt_split_path_extras(const char *text, da_strlist *extras);
/* A normalised absolute path: cwd joined with p, "." and ".." resolved. */
char *rt_join_path(const char *cwd, const char *p);
/* The last component of a path (a pointer into it). */
const char *rt_base_name(const char *path);
/* The directory of a path: "." for a bare name, "/" for one at the root. */
char *rt_dir_of(const char *path);
void rt_requirement_clear(da_plan_requirement *r);
void rt_shell_specifier_free(da_shell_specifier *s);
/* Frees n requirements (their members) and the array; likewise n warnings. */
void rt_requirements_free(da_plan_requirement *reqs, size_t n);
void rt_warnings_free(da_plan_warning *warnings, size_t n);
/* A new, empty requirement list of `file` appended to (*lists, *n) (quote "": the style
 * is set as requirements are added); its index. */
size_t rt_req_list_add(da_req_list **lists, size_t *n, const char *file, da_req_origin origin,
                       const char *style, const char *separator);
/* Frees n requirement lists (their members) and the array itself. */
void rt_req_lists_free(da_req_list *lists, size_t n);
void rt_span_set(da_span *s, const char *file, int line, int col, size_t start, size_t end);
void rt_requirement_copy(da_plan_requirement *dst, const da_plan_requirement *src);

#endif
