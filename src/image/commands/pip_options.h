/* The command-line options of `pip install/uninstall` and `uv pip install/sync/uninstall`:
 * which take a value (so that no value is mistaken for a package) and what each means for
 * the install plan. */
#ifndef DEPAUDIT_IMAGE_PIP_OPTIONS_H
#define DEPAUDIT_IMAGE_PIP_OPTIONS_H

#include <stdbool.h>

typedef enum po_action {
    PO_IGNORE = 0,
    PO_REQUIREMENT,
    PO_CONSTRAINT,
    PO_EDITABLE,
    PO_TARGET,
    PO_PREFIX,
    PO_ROOT,
    PO_USER,
    PO_INDEX_URL,
    PO_EXTRA_INDEX_URL,
    PO_FIND_LINKS,
    PO_NO_INDEX,
    PO_NO_DEPS,
    PO_PRE,
    PO_UPGRADE,
    PO_FORCE_REINSTALL,
    PO_IGNORE_INSTALLED,
    PO_ONLY_BINARY,
    PO_NO_BINARY,
    PO_PYTHON_VERSION,
    PO_PLATFORM,
    PO_REQUIRE_HASHES,
    PO_SYSTEM,
    PO_PYTHON,
    PO_PRERELEASE, /* uv --prerelease allow */
    PO_GROUP,
    PO_EXTRA,
    PO_ALL_EXTRAS,
    PO_DRY_RUN,
    PO_OVERRIDE,
    PO_WHEEL_DIR, /* pip wheel -w DIR, pip download -d DIR */
} po_action;

typedef struct po_option {
    char short_name; /* 0 if none */
    const char *long_name;
    bool takes_value;
    po_action action;
    bool uv_only;
} po_option;

/* Finds the option a word names ("--target", "--target=/x", "-t", "-t/x"). For a long
 * option, *attached is the text after '=' (or NULL); for a short one the text after the
 * letter (or NULL). Returns NULL for an unknown option. */
const po_option *po_find(const char *word, bool uv, const char **attached);
/* A short option letter, for clusters such as -qU. */
const po_option *po_find_short(char c, bool uv);

#endif
