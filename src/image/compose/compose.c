/* Compose files (docker-compose.yml, compose.yaml): the services that build an image, with
 * their build context, Dockerfile, target, build args and command. Read with libyaml's
 * document loader (aliases are shared nodes, never expanded); `<<` merge keys are followed
 * a bounded number of times. Other readers of compose (commands, volumes) extend
 * da_compose_service here. */
#include "compose.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define COMPOSE_MAX_BYTES (4u << 20)
#define COMPOSE_MAX_MERGES 16
/* Mappings one lookup may visit through merges: aliases share nodes, so `<<: [*a, *a]`
 * chains (or a mapping merging itself) would otherwise fan out exponentially. */
#define COMPOSE_MAX_MERGE_VISITS 256

static const char *scalar(yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* The value of `key` in a mapping node, following `<<` merges; NULL when absent. */
static yaml_node_t *map_find(yaml_document_t *d, yaml_node_t *map, const char *key, int depth,
                             int *visits)
{
    if (!map || map->type != YAML_MAPPING_NODE || depth > COMPOSE_MAX_MERGES || --*visits < 0)
        return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        const char *k = scalar(yaml_document_get_node(d, p->key));
        if (k && strcmp(k, key) == 0)
            return yaml_document_get_node(d, p->value);
    }
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        const char *k = scalar(yaml_document_get_node(d, p->key));
        if (!k || strcmp(k, "<<") != 0)
            continue;
        yaml_node_t *v = yaml_document_get_node(d, p->value);
        if (v && v->type == YAML_SEQUENCE_NODE) {
            for (yaml_node_item_t *it = v->data.sequence.items.start;
                 it < v->data.sequence.items.top; it++) {
                yaml_node_t *hit =
                    map_find(d, yaml_document_get_node(d, *it), key, depth + 1, visits);
                if (hit)
                    return hit;
            }
        } else {
            yaml_node_t *hit = map_find(d, v, key, depth + 1, visits);
            if (hit)
                return hit;
        }
    }
    return NULL;
}

static yaml_node_t *map_get(yaml_document_t *d, yaml_node_t *map, const char *key)
{
    int visits = COMPOSE_MAX_MERGE_VISITS;
    return map_find(d, map, key, 0, &visits);
}

static char *dup_scalar(yaml_node_t *n)
{
    const char *s = scalar(n);
    return s ? da_xstrdup(s) : NULL;
}

/* A string, or a list of strings joined by spaces (command: ["python", "x.py"]). */
static char *words_of(yaml_document_t *d, yaml_node_t *n)
{
    if (!n)
        return NULL;
    if (n->type == YAML_SCALAR_NODE)
        return dup_scalar(n);
    if (n->type != YAML_SEQUENCE_NODE)
        return NULL;
    da_buf b = {0};
    da_buf_puts(&b, "");
    for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
         it++) {
        const char *w = scalar(yaml_document_get_node(d, *it));
        if (w)
            da_buf_printf(&b, "%s%s", b.len ? " " : "", w);
    }
    return da_buf_take(&b);
}

/* build.args: a list of NAME=VALUE (or NAME) or a mapping NAME: VALUE. */
static void read_args(yaml_document_t *d, yaml_node_t *n, da_strlist *out)
{
    if (!n)
        return;
    if (n->type == YAML_SEQUENCE_NODE) {
        for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
             it++) {
            const char *w = scalar(yaml_document_get_node(d, *it));
            if (w)
                da_strlist_push(out, w);
        }
    } else if (n->type == YAML_MAPPING_NODE) {
        for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
             p++) {
            const char *k = scalar(yaml_document_get_node(d, p->key));
            const char *v = scalar(yaml_document_get_node(d, p->value));
            if (k && strcmp(k, "<<") != 0)
                da_strlist_push_owned(out, v ? da_xasprintf("%s=%s", k, v) : da_xstrdup(k));
        }
    }
}

static void read_service(yaml_document_t *d, const char *name, yaml_node_t *key, yaml_node_t *svc,
                         da_compose_file *out, size_t *cap)
{
    yaml_node_t *build = map_get(d, svc, "build");
    if (!build || (build->type != YAML_SCALAR_NODE && build->type != YAML_MAPPING_NODE))
        return;
    da_compose_service s;
    memset(&s, 0, sizeof(s));
    s.name = da_xstrdup(name);
    s.line = (int)key->start_mark.line + 1;
    s.build_line = (int)build->start_mark.line + 1;
    if (build->type == YAML_SCALAR_NODE) {
        s.context = dup_scalar(build);
    } else {
        s.context = dup_scalar(map_get(d, build, "context"));
        s.dockerfile = dup_scalar(map_get(d, build, "dockerfile"));
        s.target = dup_scalar(map_get(d, build, "target"));
        read_args(d, map_get(d, build, "args"), &s.args);
    }
    if (!s.context || !*s.context) {
        free(s.context);
        s.context = da_xstrdup(".");
    }
    s.command = words_of(d, map_get(d, svc, "command"));
    DA_PUSH(out->services, out->nservices, *cap, s);
}

int da_compose_parse(const char *path, const char *text, size_t len, da_compose_file *out,
                     da_error *err)
{
    memset(out, 0, sizeof(*out));
    if (len > COMPOSE_MAX_BYTES)
        return da_error_set(err, path, 0, 0, "compose file larger than 4 MiB: not read");
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser))
        return da_error_set(err, path, 0, 0, "cannot start the YAML reader");
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &doc)) {
        int rc = da_error_set(err, path, (int)parser.problem_mark.line + 1,
                              (int)parser.problem_mark.column + 1, "not valid YAML: %s",
                              parser.problem ? parser.problem : "unreadable");
        yaml_parser_delete(&parser);
        return rc;
    }
    out->path = da_xstrdup(path);
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    int rc = 0;
    if (root && root->type != YAML_MAPPING_NODE)
        rc = da_error_set(err, path, (int)root->start_mark.line + 1, 0,
                          "a compose file is a YAML mapping (services: ...)");
    yaml_node_t *services = rc == 0 ? map_get(&doc, root, "services") : NULL;
    size_t cap = 0;
    if (services && services->type == YAML_MAPPING_NODE)
        for (yaml_node_pair_t *p = services->data.mapping.pairs.start;
             p < services->data.mapping.pairs.top; p++) {
            yaml_node_t *k = yaml_document_get_node(&doc, p->key);
            const char *name = scalar(k);
            if (name)
                read_service(&doc, name, k, yaml_document_get_node(&doc, p->value), out, &cap);
        }
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    if (rc != 0)
        da_compose_file_free(out);
    return rc;
}

int da_compose_read(const char *path, da_compose_file *out, da_error *err)
{
    memset(out, 0, sizeof(*out));
    const char *slash = strrchr(path, '/');
    char *folder = slash ? da_xstrndup(path, (size_t)(slash - path)) : da_xstrdup(".");
    char *text = NULL;
    size_t len = 0;
    int read = da_read_file_under(*folder ? folder : "/", path, DA_TEXT_FILE_MAX, &text, &len, err);
    free(folder);
    if (read != 0)
        return -1;
    int rc = da_compose_parse(path, text, len, out, err);
    free(text);
    return rc;
}

void da_compose_file_free(da_compose_file *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->nservices; i++) {
        da_compose_service *s = &f->services[i];
        free(s->name);
        free(s->context);
        free(s->dockerfile);
        free(s->target);
        free(s->command);
        da_strlist_free(&s->args);
    }
    free(f->services);
    free(f->path);
    memset(f, 0, sizeof(*f));
}
