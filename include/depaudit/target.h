/* The environment an image's Python runs in: what markers are evaluated against and which
 * wheel tags are accepted. Always built from the image (FROM line, --platform), never from
 * the machine depaudit runs on. */
#ifndef DEPAUDIT_TARGET_H
#define DEPAUDIT_TARGET_H

#include <stdbool.h>

typedef enum da_libc { DA_LIBC_GLIBC = 0, DA_LIBC_MUSL } da_libc;

typedef struct da_target {
    int py_major, py_minor, py_micro; /* 3, 11, 7; micro -1 when only X.Y is known */
    char machine[32];                 /* platform_machine: "x86_64", "aarch64" */
    da_libc libc;
    int libc_major, libc_minor; /* glibc 2.36 (bookworm), musl 1.2 (alpine) */
} da_target;

/* The Python assumed when nothing names one (a base image that does not tell, no
 * --python-version, a bare requirement list): one constant for every stage. */
#define DA_DEFAULT_PY_MAJOR 3
#define DA_DEFAULT_PY_MINOR 12
#define DA_STRINGIFY_(x) #x
#define DA_STRINGIFY(x) DA_STRINGIFY_(x)
/* "3.12", for help texts. */
#define DA_DEFAULT_PY_VERSION                                                                      \
    DA_STRINGIFY(DA_DEFAULT_PY_MAJOR) "." DA_STRINGIFY(DA_DEFAULT_PY_MINOR)

/* CPython X.Y.Z on linux/x86_64 with glibc 2.36 (Debian bookworm, the base of the
 * official python images). micro may be -1 when unknown. */
void da_target_init(da_target *t, int major, int minor, int micro);
/* The same for the default Python, DA_DEFAULT_PY_MAJOR.DA_DEFAULT_PY_MINOR. */
void da_target_init_default(da_target *t);

#endif
