#include "depaudit/pep.h"

#include <stdio.h>
#include <string.h>

void da_marker_env_from_target(da_marker_env *env, const da_target *t)
{
    memset(env, 0, sizeof(*env));
    snprintf(env->python_version, sizeof(env->python_version), "%d.%d", t->py_major, t->py_minor);
    /* Only "X.Y" known (FROM python:3.11): X.Y.0 is the oldest release of the series, so
     * markers that need a newer micro release are judged false rather than guessed. */
    snprintf(env->python_full_version, sizeof(env->python_full_version), "%d.%d.%d", t->py_major,
             t->py_minor, t->py_micro < 0 ? 0 : t->py_micro);
    snprintf(env->os_name, sizeof(env->os_name), "posix");
    snprintf(env->sys_platform, sizeof(env->sys_platform), "linux");
    snprintf(env->platform_system, sizeof(env->platform_system), "Linux");
    snprintf(env->platform_machine, sizeof(env->platform_machine), "%s", t->machine);
    /* The image's kernel is the host's at run time: unknown, so left empty. */
    env->platform_release[0] = '\0';
    env->platform_version[0] = '\0';
    snprintf(env->platform_python_implementation, sizeof(env->platform_python_implementation),
             "CPython");
    snprintf(env->implementation_name, sizeof(env->implementation_name), "cpython");
    snprintf(env->implementation_version, sizeof(env->implementation_version), "%s",
             env->python_full_version);
}
