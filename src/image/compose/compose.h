/* Compose files (docker-compose.yml, compose.yaml), read with libyaml: the services that
 * build an image. Kept minimal and on its own so other readers of compose (a service's
 * command, volumes) extend da_compose_service here. Part of the image stage. */
#ifndef DEPAUDIT_IMAGE_COMPOSE_H
#define DEPAUDIT_IMAGE_COMPOSE_H

#include "depaudit/util.h"

/* One service of a compose file that builds an image. */
typedef struct da_compose_service {
    char *name;
    int line;         /* of the service's key */
    char *context;    /* build.context (or `build: DIR`), as written; "." when absent */
    char *dockerfile; /* build.dockerfile as written; NULL: "Dockerfile" */
    int build_line;   /* of the build value: `build: DIR`, or the mapping's first key */
    char *target;     /* build.target, NULL when absent */
    char *command;    /* command as written (a string, or a list joined by spaces), NULL */
    da_strlist args;  /* build.args as NAME=VALUE */
} da_compose_service;

typedef struct da_compose_file {
    char *path;
    da_compose_service *services; /* those with a `build` key only */
    size_t nservices;
} da_compose_file;

/* Reads a compose file (YAML: docker-compose.yml, compose.yaml, ...). Returns 0, or -1
 * with err (FILE:LINE) when it is no YAML mapping or is larger than 4 MiB. */
int da_compose_read(const char *path, da_compose_file *out, da_error *err);
/* The same from memory (`path` names it in errors). */
int da_compose_parse(const char *path, const char *text, size_t len, da_compose_file *out,
                     da_error *err);
void da_compose_file_free(da_compose_file *f);

#endif
