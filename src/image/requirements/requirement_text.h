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
void rt_requirement_clear(da_plan_requirement *r);
/* Frees n requirement lists (their members) and the array itself. */
void rt_req_lists_free(da_req_list *lists, size_t n);
void rt_span_set(da_span *s, const char *file, int line, int col, size_t start, size_t end);
void rt_requirement_copy(da_plan_requirement *dst, const da_plan_requirement *src);

#endif
