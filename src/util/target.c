#include "depaudit/target.h"

#include <stdio.h>
#include <string.h>

void da_target_init(da_target *t, int major, int minor, int micro)
{
    memset(t, 0, sizeof(*t));
    t->py_major = major;
    t->py_minor = minor;
    t->py_micro = micro;
    snprintf(t->machine, sizeof(t->machine), "%s", "x86_64");
    t->libc = DA_LIBC_GLIBC;
    t->libc_major = 2;
    t->libc_minor = 36;
}

void da_target_init_default(da_target *t)
{
    da_target_init(t, DA_DEFAULT_PY_MAJOR, DA_DEFAULT_PY_MINOR, -1);
}
