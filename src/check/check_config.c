/* Where the configuration is: --config, else .depaudit.toml or a pyproject.toml with a
 * [tool.depaudit] table, in the current directory and then next to the Dockerfile. Reading
 * it is the audit's (da_audit_config_load). */
#include "check_internal.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bool file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool config_is_empty(const da_audit_config *cfg)
{
    return cfg->ignore.len + cfg->module_ignores.len + cfg->mappings.len + cfg->first_party.len +
                   cfg->base_provides.len + cfg->exclude.len ==
               0 &&
           !cfg->report_type_checking;
}

int check_config_load(const da_check_options *o, da_audit_config *cfg, da_error *err)
{
    memset(cfg, 0, sizeof(*cfg));
    if (o->config_file)
        return da_audit_config_load(o->config_file, cfg, err);
    da_strlist dirs = {0};
    da_strlist_push(&dirs, ".");
    if (o->dockerfile) {
        const char *slash = strrchr(o->dockerfile, '/');
        char *d =
            slash ? da_xstrndup(o->dockerfile, (size_t)(slash - o->dockerfile)) : da_xstrdup(".");
        if (!da_strlist_contains(&dirs, d))
            da_strlist_push(&dirs, d);
        free(d);
    }
    int rc = 0;
    for (size_t i = 0; i < dirs.len && !cfg->file && rc == 0; i++) {
        const char *names[] = {".depaudit.toml", "pyproject.toml"};
        for (size_t k = 0; k < 2 && !cfg->file && rc == 0; k++) {
            char *p = da_xasprintf("%s/%s", dirs.items[i], names[k]);
            if (file_exists(p)) {
                rc = da_audit_config_load_under(dirs.items[i], p, cfg, err);
                /* a pyproject.toml without [tool.depaudit] does not end the search */
                if (rc == 0 && k == 1 && config_is_empty(cfg))
                    da_audit_config_free(cfg);
            }
            free(p);
        }
    }
    da_strlist_free(&dirs);
    return rc;
}
