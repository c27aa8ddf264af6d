/* da_release from the JSON that da_release_to_json writes (the cache's release entries). */
#ifndef DEPAUDIT_METADATA_RELEASE_JSON_H
#define DEPAUDIT_METADATA_RELEASE_JSON_H

#include "depaudit/dist.h"

#include <stddef.h>

/* NULL when text is not such a JSON document. */
da_release *da_release_from_json(const char *text, size_t len);

#endif
