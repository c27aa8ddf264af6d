/* The usage scanner: every usage fact of corpus/usage/facts.tsv is found from a text built
 * from its own row (and not when the trigger is only in a comment), and the dotted paths
 * of settings strings become STRING records with the module Django imports. */
/* cmocka needs these first, in this order. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include "depaudit/imports.h"
#include "depaudit/util.h"

#include <stdlib.h>
#include <string.h>

/* A source text that uses the fact as its kind says, with its context word in code. */
static char *text_for(const da_usage_fact *f, bool in_comment)
{
    const char *c = in_comment ? "# " : "";
    char *ctx = f->context ? da_xasprintf("%s = 1\n", f->context) : da_xstrdup("");
    char *use = NULL;
    switch (f->kind) {
    case DA_USAGE_STRING:
        use = da_xasprintf("%svalue = \"%s\"\n", c, f->trigger);
        break;
    case DA_USAGE_PREFIX:
        use = da_xasprintf("%svalue = '%shost/x'\n", c, f->trigger);
        break;
    case DA_USAGE_NAME:
        use = da_xasprintf("%svalue = %s\n", c, f->trigger);
        break;
    case DA_USAGE_CALL:
        use = da_xasprintf("%svalue = %s(1)\n", c, f->trigger);
        break;
    case DA_USAGE_CODE:
        use = da_xasprintf("%s%s\n", c, f->trigger);
        break;
    }
    char *t = da_xasprintf("import os\n%s%s", ctx, use);
    free(ctx);
    free(use);
    return t;
}

static const da_import *record_of(const da_import_set *s, const da_usage_fact *f)
{
    for (size_t i = 0; i < s->len; i++)
        if (s->items[i].kind == DA_IMPORT_KIND_USAGE && s->items[i].usage_fact == f)
            return &s->items[i];
    return NULL;
}

static void every_fact_is_found_from_its_row(void **state)
{
    (void)state;
    assert_true(da_usage_fact_count() >= 150);
    for (size_t i = 0; i < da_usage_fact_count(); i++) {
        const da_usage_fact *f = da_usage_fact_at(i);
        char *t = text_for(f, false);
        da_import_set s = {0};
        da_usage_scan_text("", "app.py", 0, t, strlen(t), &s);
        const da_import *r = record_of(&s, f);
        if (!r)
            fail_msg("fact %s not found in:\n%s", f->id, t);
        assert_string_equal(r->module, f->modules[0]);
        assert_int_equal(r->line, f->context ? 3 : 2);
        assert_false(r->in_except);
        /* every alternative is a record of the same group */
        int alts = 0;
        for (size_t k = 0; k < s.len; k++)
            alts +=
                s.items[k].usage_fact == f && s.items[k].alternative_group == r->alternative_group;
        assert_int_equal(alts, f->nalts);
        da_import_set_free(&s);
        free(t);
        t = text_for(f, true);
        da_usage_scan_text("", "app.py", 0, t, strlen(t), &s);
        if (record_of(&s, f))
            fail_msg("fact %s found in a comment:\n%s", f->id, t);
        da_import_set_free(&s);
        free(t);
    }
}

static void facts_are_well_formed(void **state)
{
    (void)state;
    for (size_t i = 0; i < da_usage_fact_count(); i++) {
        const da_usage_fact *f = da_usage_fact_at(i);
        assert_true(f->nalts >= 1 && f->nalts <= DA_USAGE_MAX_ALTS);
        assert_true(da_str_starts_with(f->source, "https://"));
        assert_true(strlen(f->trigger) >= 4);
    }
    assert_null(da_usage_fact_at(da_usage_fact_count()));
}

static const char settings_py[] =
    "import os\n"
    "INSTALLED_APPS = [\n"
    "    'django.contrib.admin',\n"
    "    \"corsheaders\",  # 'commented.out'\n"
    "    'shop.apps.ShopConfig',\n"
    "]\n"
    "MIDDLEWARE = ['whitenoise.middleware.WhiteNoiseMiddleware']\n"
    "CACHES = {'default': {'BACKEND': 'django_redis.cache.RedisCache',\n"
    "                      'LOCATION': 'redis.example.com:6379'}}\n"
    "REST_FRAMEWORK = {'DEFAULT_RENDERER_CLASSES': ('rest_framework.renderers.JSONRenderer',),\n"
    "                  'PAGE_SIZE': 10}\n"
    "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql'}}\n"
    "if os.environ.get('DEBUG'):\n"
    "    INSTALLED_APPS += ['debug_toolbar']\n"
    "x = 'INSTALLED_APPS = [\"nope\"]'\n";

static const da_import *string_record(const da_import_set *s, const char *module)
{
    for (size_t i = 0; i < s->len; i++)
        if (s->items[i].kind == DA_IMPORT_KIND_STRING && strcmp(s->items[i].module, module) == 0)
            return &s->items[i];
    return NULL;
}

static void settings_strings_are_imports(void **state)
{
    (void)state;
    da_import_set s = {0};
    da_usage_scan_text("", "settings.py", 0, settings_py, strlen(settings_py), &s);
    const da_import *r = string_record(&s, "corsheaders");
    assert_non_null(r);
    assert_string_equal(r->via, "INSTALLED_APPS");
    assert_int_equal(r->line, 4);
    assert_null(r->condition);
    assert_non_null(string_record(&s, "django.contrib.admin"));
    assert_non_null(string_record(&s, "shop.apps")); /* an AppConfig: its module */
    assert_non_null(string_record(&s, "whitenoise.middleware"));
    assert_non_null(string_record(&s, "django_redis.cache"));
    assert_non_null(string_record(&s, "rest_framework.renderers"));
    assert_non_null(string_record(&s, "django.db.backends.postgresql")); /* ENGINE: a module */
    r = string_record(&s, "debug_toolbar");
    assert_non_null(r);
    assert_non_null(r->condition); /* assigned under an if */
    /* not paths: a comment, a LOCATION host, a key, text inside another string */
    assert_null(string_record(&s, "commented.out"));
    assert_null(string_record(&s, "redis.example"));
    assert_null(string_record(&s, "PAGE_SIZE"));
    assert_null(string_record(&s, "nope"));
    da_import_set_free(&s);
}

static void a_file_without_triggers_adds_nothing(void **state)
{
    (void)state;
    const char *t = "def f(x):\n    return x + 1\n";
    da_import_set s = {0};
    assert_int_equal(da_usage_scan_text("", "a.py", 0, t, strlen(t), &s), 0);
    assert_int_equal(s.len, 0);
    /* a trigger as a plain word is not a use: the string kind needs the whole literal */
    t = "value = 'use django.db.backends.postgresql here'\nENGINE = 1\n";
    assert_int_equal(da_usage_scan_text("", "a.py", 0, t, strlen(t), &s), 0);
    da_import_set_free(&s);
}

static void env_defaults_are_uncertain(void **state)
{
    (void)state;
    const char *t = "URL = os.environ.get('DATABASE_URL', 'postgresql+asyncpg://db/x')\n";
    da_import_set s = {0};
    da_usage_scan_text("", "a.py", 0, t, strlen(t), &s);
    assert_true(s.len > 0);
    for (size_t i = 0; i < s.len; i++)
        assert_non_null(s.items[i].condition);
    da_import_set_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_fact_is_found_from_its_row),
        cmocka_unit_test(facts_are_well_formed),
        cmocka_unit_test(settings_strings_are_imports),
        cmocka_unit_test(a_file_without_triggers_adds_nothing),
        cmocka_unit_test(env_defaults_are_uncertain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
