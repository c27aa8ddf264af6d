/* `--python PATH`: ask that interpreter for its site-packages directories only. It runs
 * isolated (-I: no environment variables, no user site, no current directory on sys.path)
 * and without the site module (-S: .pth files would run code), a fixed snippet that imports
 * sysconfig and json from the standard library. */
#include "depaudit/metadata.h"

#include <cjson/cJSON.h>

#include <errno.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static const char snippet[] = "import json, sysconfig\n"
                              "p = sysconfig.get_paths()\n"
                              "print(json.dumps([p['purelib'], p['platlib']]))\n";

int da_python_site_packages(const char *python, da_strlist *out, da_error *err)
{
    int fds[2];
    if (pipe(fds) != 0)
        return da_error_set(err, python, 0, 0, "cannot create a pipe: %s", strerror(errno));
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    posix_spawn_file_actions_addclose(&fa, fds[1]);
    char *argv[] = {(char *)python, "-I", "-S", "-c", (char *)snippet, NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, python, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        return da_error_set(err, python, 0, 0, "cannot run the interpreter: %s", strerror(rc));
    }
    da_buf b = {0};
    char chunk[4096];
    ssize_t n;
    while ((n = read(fds[0], chunk, sizeof(chunk))) > 0 && b.len < 65536)
        da_buf_append(&b, chunk, (size_t)n);
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        da_buf_free(&b);
        return da_error_set(err, python, 0, 0,
                            "the interpreter failed to report its paths (exit status %d)",
                            WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    }
    cJSON *doc = b.data ? cJSON_ParseWithLength(b.data, b.len) : NULL;
    da_buf_free(&b);
    if (!cJSON_IsArray(doc)) {
        cJSON_Delete(doc);
        return da_error_set(err, python, 0, 0, "unexpected answer from the interpreter");
    }
    const cJSON *p;
    cJSON_ArrayForEach(p, doc)
    {
        struct stat st;
        if (cJSON_IsString(p) && stat(p->valuestring, &st) == 0 && S_ISDIR(st.st_mode) &&
            !da_strlist_contains(out, p->valuestring))
            da_strlist_push(out, p->valuestring);
    }
    cJSON_Delete(doc);
    return 0;
}
