/* The build context every subcommand that reads a Dockerfile uses: --context, else the one
 * da_build_context_find infers (a compose file, the COPY/ADD sources, the Dockerfile's
 * folder), named with why in the plan. */
#include "check_internal.h"

#include "depaudit/build_context.h"

#include <string.h>

int check_plan_load(const char *dockerfile, const da_plan_options *o, da_install_plan *out,
                    da_error *err)
{
    da_plan_options popt;
    static const da_plan_options none = {0};
    popt = o ? *o : none;
    da_build_context ctx;
    if (da_build_context_find(dockerfile, popt.context_dir, ".", &ctx, err) != 0) {
        memset(out, 0, sizeof(*out));
        return -1;
    }
    popt.context_dir = ctx.dir;
    /* said only when it is not docker's default (the Dockerfile's folder) */
    popt.context_reason = ctx.inferred && (!ctx.default_dir || !ctx.certain) ? ctx.reason : NULL;
    popt.context_guessed = ctx.inferred && !ctx.certain;
    int rc = da_install_plan_load(dockerfile, &popt, out, err);
    da_build_context_free(&ctx);
    return rc;
}
