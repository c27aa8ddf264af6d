/* Facts the checks rely on: standard modules removed from CPython (PEP 594, PEP 632, the
 * imp removal), test and lint tools, and database URL schemes whose driver is a
 * distribution the code never imports by name. */
#include "usage_facts.h"

#include <string.h>

static const audit_removed_module removed[] = {
    {"distutils", 3, 12, "setuptools (or sysconfig/shutil for the common helpers)"},
    {"imp", 3, 12, "importlib"},
    {"asynchat", 3, 12, "asyncio"},
    {"asyncore", 3, 12, "asyncio"},
    {"smtpd", 3, 12, "aiosmtpd"},
    {"aifc", 3, 13, "a third-party audio library"},
    {"audioop", 3, 13, "audioop-lts"},
    {"cgi", 3, 13, "urllib.parse / email.message"},
    {"cgitb", 3, 13, "traceback"},
    {"chunk", 3, 13, "a third-party chunk reader"},
    {"crypt", 3, 13, "hashlib or passlib"},
    {"imghdr", 3, 13, "filetype or puremagic"},
    {"mailcap", 3, 13, "mimetypes"},
    {"msilib", 3, 13, "nothing (Windows only)"},
    {"nis", 3, 13, "nothing"},
    {"nntplib", 3, 13, "a third-party NNTP client"},
    {"ossaudiodev", 3, 13, "nothing"},
    {"pipes", 3, 13, "subprocess and shlex.quote"},
    {"sndhdr", 3, 13, "filetype"},
    {"spwd", 3, 13, "python-pam"},
    {"sunau", 3, 13, "a third-party audio library"},
    {"telnetlib", 3, 13, "telnetlib3"},
    {"uu", 3, 13, "base64"},
    {"xdrlib", 3, 13, "a third-party XDR library"},
    {"lib2to3", 3, 13, "nothing (use a maintained refactoring tool)"},
    {"tkinter.tix", 3, 13, "tkinter.ttk"},
};

const audit_removed_module *audit_removed_stdlib(const char *module, int major, int minor)
{
    for (size_t i = 0; i < sizeof(removed) / sizeof(removed[0]); i++) {
        size_t n = strlen(removed[i].module);
        if (strncmp(module, removed[i].module, n) != 0 || (module[n] && module[n] != '.'))
            continue;
        if (major > removed[i].major || (major == removed[i].major && minor >= removed[i].minor))
            return &removed[i];
    }
    return NULL;
}

static const char *const dev_tools[] = {
    "pytest", "black",       "mypy",      "ruff",      "flake8",      "pylint",
    "isort",  "coverage",    "tox",       "nox",       "pre-commit",  "hypothesis",
    "bandit", "pyright",     "autopep8",  "yapf",      "pycodestyle", "pyflakes",
    "faker",  "factory-boy", "freezegun", "responses", "pytest-cov",  NULL};

bool audit_is_dev_tool(const char *name)
{
    for (size_t i = 0; dev_tools[i]; i++)
        if (strcmp(name, dev_tools[i]) == 0)
            return true;
    return da_str_starts_with(name, "pytest-") || da_str_starts_with(name, "flake8-") ||
           da_str_starts_with(name, "mypy-");
}

const char *audit_used_without_import(const char *name)
{
    if (strcmp(name, "pip") == 0 || strcmp(name, "setuptools") == 0 || strcmp(name, "wheel") == 0)
        return "packaging tool of the image itself";
    if (da_str_starts_with(name, "types-") || da_str_ends_with(name, "-stubs"))
        return "type stubs, used only by type checkers";
    if (da_str_starts_with(name, "pytest-"))
        return "pytest plugin, loaded by pytest";
    return NULL;
}

/* SQLAlchemy-style URL schemes: "dialect+driver://" or a dialect's default driver. */
static const struct {
    const char *scheme; /* what precedes "://" */
    const char *dists;  /* distributions that provide the driver, space separated */
} drivers[] = {
    {"+asyncpg", "asyncpg"},
    {"+psycopg2", "psycopg2 psycopg2-binary"},
    {"+psycopg", "psycopg psycopg-binary"},
    {"+pg8000", "pg8000"},
    {"+pymysql", "pymysql"},
    {"+aiomysql", "aiomysql"},
    {"+asyncmy", "asyncmy"},
    {"+mysqldb", "mysqlclient"},
    {"+mysqlconnector", "mysql-connector-python"},
    {"+aiosqlite", "aiosqlite"},
    {"+pyodbc", "pyodbc"},
    {"+oracledb", "oracledb"},
    {"+cx_oracle", "cx-oracle"},
    {"postgresql", "psycopg2 psycopg2-binary"},
    {"postgres", "psycopg2 psycopg2-binary"},
    {"mysql", "mysqlclient"},
    {"redis", "redis"},
    {"amqp", "kombu"},
};

static bool word_in(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; (p = strstr(p, word)); p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return true;
    return false;
}

const char *audit_url_driver_in(const char *text, const char *dist, const char **at)
{
    for (const char *p = strstr(text, "://"); p; p = strstr(p + 3, "://")) {
        /* the scheme: back to the start of the word */
        const char *s = p;
        while (s > text && (s[-1] == '+' || s[-1] == '_' || (s[-1] >= 'a' && s[-1] <= 'z') ||
                            (s[-1] >= '0' && s[-1] <= '9')))
            s--;
        const char *plus = NULL;
        for (const char *q = s; q < p; q++)
            if (*q == '+')
                plus = q;
        for (size_t i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++) {
            const char *sc = drivers[i].scheme;
            size_t n = strlen(sc);
            bool hit = sc[0] == '+' ? plus && (size_t)(p - plus) == n && strncmp(plus, sc, n) == 0
                                    : !plus && (size_t)(p - s) == n && strncmp(s, sc, n) == 0;
            if (hit && word_in(drivers[i].dists, dist)) {
                if (at)
                    *at = s;
                return sc;
            }
        }
    }
    return NULL;
}
