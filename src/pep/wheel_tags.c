/* The tags a CPython interpreter in the target image accepts, best first. The order is
 * the one pip uses (packaging.tags.sys_tags: cpython_tags, then compatible_tags with the
 * cpXY interpreter), computed from the target description instead of the running
 * machine. tests/oracle/pep_wheel/ compares it with packaging.tags for many targets. */
#include "depaudit/wheel.h"

#include <stdio.h>
#include <string.h>

/* On x86 the oldest manylinux is manylinux1 (glibc 2.5); elsewhere manylinux2014 (2.17)
 * is the first that defined the architecture. */
static int oldest_glibc_minor(const char *arch)
{
    return strcmp(arch, "x86_64") == 0 || strcmp(arch, "i686") == 0 ? 5 : 17;
}

/* The architectures for which manylinux wheels exist (PEP 599/600). pip also accepts
 * i686 and armv7l after probing the interpreter binary; the target says nothing about
 * that binary, so those two get no manylinux tags here. */
static bool manylinux_arch(const char *arch)
{
    static const char *const known[] = {"x86_64", "aarch64", "ppc64", "ppc64le", "s390x"};
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
        if (strcmp(arch, known[i]) == 0)
            return true;
    return false;
}

/* The legacy alias of a glibc 2.N manylinux tag, NULL if none. */
static const char *legacy_manylinux(int major, int minor)
{
    if (major != 2)
        return NULL;
    switch (minor) {
    case 17:
        return "manylinux2014";
    case 12:
        return "manylinux2010";
    case 5:
        return "manylinux1";
    default:
        return NULL;
    }
}

/* glibc has never had a major version above 2; if it does, its last 2.x minor is not
 * known yet, so (like pip) assume 50 for the older majors. */
enum { ASSUMED_LAST_GLIBC_MINOR = 50 };

static void manylinux_tags(const da_target *t, da_strlist *out)
{
    const char *arch = t->machine;
    if (!manylinux_arch(arch) || t->libc_major < 2)
        return;
    for (int major = t->libc_major; major >= 2; major--) {
        int top = major == t->libc_major ? t->libc_minor : ASSUMED_LAST_GLIBC_MINOR;
        int bottom = major == 2 ? oldest_glibc_minor(arch) : 0;
        for (int minor = top; minor >= bottom; minor--) {
            da_strlist_push_owned(out, da_xasprintf("manylinux_%d_%d_%s", major, minor, arch));
            const char *legacy = legacy_manylinux(major, minor);
            if (legacy)
                da_strlist_push_owned(out, da_xasprintf("%s_%s", legacy, arch));
        }
    }
}

void da_target_platform_tags(const da_target *t, da_strlist *out)
{
    if (t->libc == DA_LIBC_MUSL) {
        for (int minor = t->libc_minor; minor >= 0; minor--)
            da_strlist_push_owned(
                out, da_xasprintf("musllinux_%d_%d_%s", t->libc_major, minor, t->machine));
    } else {
        manylinux_tags(t, out);
    }
    da_strlist_push_owned(out, da_xasprintf("linux_%s", t->machine));
}

static void push_tag(da_strlist *out, const char *interp, const char *abi, const char *plat)
{
    da_strlist_push_owned(out, da_xasprintf("%s-%s-%s", interp, abi, plat));
}

/* "py311", "py3", "py310", ..., "py30": the order of packaging's _py_interpreter_range. */
static void py_interpreters(const da_target *t, da_strlist *out)
{
    da_strlist_push_owned(out, da_xasprintf("py%d%d", t->py_major, t->py_minor));
    da_strlist_push_owned(out, da_xasprintf("py%d", t->py_major));
    for (int minor = t->py_minor - 1; minor >= 0; minor--)
        da_strlist_push_owned(out, da_xasprintf("py%d%d", t->py_major, minor));
}

void da_target_supported_tags(const da_target *t, da_strlist *out)
{
    da_strlist plats = {0};
    da_target_platform_tags(t, &plats);
    char interp[32];
    snprintf(interp, sizeof(interp), "cp%d%d", t->py_major, t->py_minor);
    /* CPython before 3.8 was built with pymalloc, which is part of its ABI tag. */
    bool pymalloc_abi = t->py_major < 3 || (t->py_major == 3 && t->py_minor < 8);
    char abi[40];
    snprintf(abi, sizeof(abi), "%s%s", interp, pymalloc_abi ? "m" : "");
    /* The stable ABI (PEP 384) exists since 3.2. */
    bool abi3 = t->py_major > 3 || (t->py_major == 3 && t->py_minor >= 2);

    for (size_t i = 0; i < plats.len; i++)
        push_tag(out, interp, abi, plats.items[i]);
    if (abi3)
        for (size_t i = 0; i < plats.len; i++)
            push_tag(out, interp, "abi3", plats.items[i]);
    for (size_t i = 0; i < plats.len; i++)
        push_tag(out, interp, "none", plats.items[i]);
    if (abi3) {
        for (int minor = t->py_minor - 1; minor >= 2; minor--) {
            char older[32];
            snprintf(older, sizeof(older), "cp%d%d", t->py_major, minor);
            for (size_t i = 0; i < plats.len; i++)
                push_tag(out, older, "abi3", plats.items[i]);
        }
    }

    da_strlist pys = {0};
    py_interpreters(t, &pys);
    for (size_t v = 0; v < pys.len; v++)
        for (size_t i = 0; i < plats.len; i++)
            push_tag(out, pys.items[v], "none", plats.items[i]);
    push_tag(out, interp, "none", "any");
    for (size_t v = 0; v < pys.len; v++)
        push_tag(out, pys.items[v], "none", "any");
    da_strlist_free(&pys);
    da_strlist_free(&plats);
}
