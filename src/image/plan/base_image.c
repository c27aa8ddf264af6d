/* The Python of an image from its reference: the official python images' tags
 * (`3.11-slim`, `3.12.1-alpine3.19`), images that name the version in their tag
 * (`python3.12-bookworm-slim`), and the python3 package of common distributions. */
#include "image/plan/plan_model.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The python3 of distribution images, for bases that install Python with the package
 * manager. */
static const struct {
    const char *name;
    const char *tag;
    int major, minor;
} distro_python[] = {
    {"debian", "bookworm", 3, 11}, {"debian", "12", 3, 11},     {"debian", "bullseye", 3, 9},
    {"debian", "11", 3, 9},        {"debian", "trixie", 3, 13}, {"debian", "13", 3, 13},
    {"ubuntu", "20.04", 3, 8},     {"ubuntu", "focal", 3, 8},   {"ubuntu", "22.04", 3, 10},
    {"ubuntu", "jammy", 3, 10},    {"ubuntu", "24.04", 3, 12},  {"ubuntu", "noble", 3, 12},
    {"alpine", "3.18", 3, 11},     {"alpine", "3.19", 3, 11},   {"alpine", "3.20", 3, 12},
    {"alpine", "3.21", 3, 12},     {"alpine", "3.22", 3, 12},
};

/* Reads "3", "3.11" or "3.11.7" at s; returns the number of components (0 if none). */
static int read_version(const char *s, int *major, int *minor, int *micro, const char **end)
{
    int parts[3] = {-1, -1, -1};
    int n = 0;
    const char *p = s;
    while (n < 3 && isdigit((unsigned char)*p)) {
        long v = 0;
        while (isdigit((unsigned char)*p) && v < 100000)
            v = v * 10 + (*p++ - '0');
        parts[n++] = (int)v;
        if (*p == '.' && isdigit((unsigned char)p[1]))
            p++;
        else
            break;
    }
    *major = parts[0];
    *minor = parts[1];
    *micro = parts[2];
    if (end)
        *end = p;
    return n;
}

void pl_python_from_image(const char *ref, pl_python *out)
{
    memset(out, 0, sizeof(*out));
    out->micro = -1;
    char *r = da_xstrdup(ref);
    char *at = strchr(r, '@');
    bool digest = at != NULL;
    if (at)
        *at = '\0';
    char *slash = strrchr(r, '/');
    char *name = slash ? slash + 1 : r;
    char *colon = strchr(name, ':');
    const char *tag = "latest";
    if (colon) {
        *colon = '\0';
        tag = colon + 1;
    }
    for (char *p = name; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    out->musl = strstr(tag, "alpine") != NULL || strcmp(name, "alpine") == 0;
    int ma, mi, mc;
    if (strcmp(name, "python") == 0) {
        out->official = true;
        int n = read_version(tag, &ma, &mi, &mc, NULL);
        if (n >= 2 && ma == 3) {
            out->major = ma;
            out->minor = mi;
            out->micro = mc;
            out->known = true;
        } else if (digest && !colon) {
            snprintf(out->note, sizeof(out->note),
                     "%s is pinned by digest only: its Python version is unknown", ref);
        } else {
            snprintf(out->note, sizeof(out->note),
                     "the tag of %s does not name a Python X.Y version", ref);
        }
        free(r);
        return;
    }
    if (strcmp(name, "pypy") == 0) {
        snprintf(out->note, sizeof(out->note), "%s is PyPy, which depaudit does not model", ref);
        free(r);
        return;
    }
    /* "python3.12-bookworm-slim", "py3.11", "python-3.10" anywhere in the tag. */
    for (const char *p = tag; *p; p++) {
        const char *q = NULL;
        if (strncmp(p, "python", 6) == 0)
            q = p + 6;
        else if (strncmp(p, "py", 2) == 0 && (p == tag || !isalpha((unsigned char)p[-1])))
            q = p + 2;
        if (!q)
            continue;
        if (*q == '-')
            q++;
        if (read_version(q, &ma, &mi, &mc, NULL) >= 2 && ma == 3) {
            out->major = ma;
            out->minor = mi;
            out->micro = mc;
            out->known = true;
            out->official = true;
            snprintf(out->note, sizeof(out->note),
                     "Python %d.%d read from the tag of %s, which is not an official python "
                     "image",
                     ma, mi, ref);
            free(r);
            return;
        }
    }
    for (size_t i = 0; i < sizeof(distro_python) / sizeof(distro_python[0]); i++) {
        size_t tl = strlen(distro_python[i].tag);
        if (strcmp(name, distro_python[i].name) == 0 &&
            strncmp(tag, distro_python[i].tag, tl) == 0 &&
            (tag[tl] == '\0' || tag[tl] == '-' || tag[tl] == '.')) {
            out->major = distro_python[i].major;
            out->minor = distro_python[i].minor;
            out->known = true;
            snprintf(out->note, sizeof(out->note),
                     "Python %d.%d is the python3 package of %s, assumed to be the interpreter",
                     out->major, out->minor, ref);
            free(r);
            return;
        }
    }
    snprintf(out->note, sizeof(out->note), "cannot tell the Python version of base image %s", ref);
    free(r);
}

bool pl_machine_from_platform(const char *platform, char *machine, size_t msize, char *arch,
                              size_t asize)
{
    static const struct {
        const char *docker, *machine;
    } arches[] = {
        {"amd64", "x86_64"},    {"x86_64", "x86_64"},   {"arm64", "aarch64"},
        {"aarch64", "aarch64"}, {"arm/v7", "armv7l"},   {"arm", "armv7l"},
        {"arm/v6", "armv6l"},   {"386", "i686"},        {"ppc64le", "ppc64le"},
        {"s390x", "s390x"},     {"riscv64", "riscv64"},
    };
    const char *p = platform;
    if (strncmp(p, "linux/", 6) == 0)
        p += 6;
    for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++) {
        size_t l = strlen(arches[i].docker);
        if (strncmp(p, arches[i].docker, l) == 0 && (p[l] == '\0' || p[l] == '/')) {
            snprintf(machine, msize, "%s", arches[i].machine);
            snprintf(arch, asize, "%.*s",
                     (int)(strchr(arches[i].docker, '/')
                               ? strchr(arches[i].docker, '/') - arches[i].docker
                               : (long)l),
                     arches[i].docker);
            if (strcmp(arch, "x86_64") == 0)
                snprintf(arch, asize, "amd64");
            if (strcmp(arch, "aarch64") == 0)
                snprintf(arch, asize, "arm64");
            return true;
        }
    }
    return false;
}
