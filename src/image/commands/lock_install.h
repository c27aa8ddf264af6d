/* Installs from lock files (lock_install.c), shared by uv sync, poetry install, pdm and
 * `uv pip install -r pylock.toml`. Internal to commands/. */
#ifndef DEPAUDIT_IMAGE_LOCK_INSTALL_H
#define DEPAUDIT_IMAGE_LOCK_INSTALL_H

#include "image/commands/install_command.h"
#include "image/requirements/lock.h"

/* The marker values of the current stage's Python and platform. */
void ic_stage_marker_env(pl_builder *b, da_marker_env *env);
/* The pins rq takes from the lock at lock_path (in the image) into op, which becomes a
 * locked op. False (nothing done) when the image does not hold the lock. */
bool ic_lock_install(pl_builder *b, da_install_op *op, const char *lock_path,
                     const rq_lock_request *rq, int line, const char *via);
/* Requirements (a pyproject's) as the roots of a lock request. */
void ic_lock_roots_from(rq_lock_request *rq, const da_plan_requirement *reqs, size_t n);

#endif
