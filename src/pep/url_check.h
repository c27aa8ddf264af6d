/* The URL test packaging 23.0 applies to "name @ url" (urllib.parse of Python 3.11). */
#ifndef DEPAUDIT_PEP_URL_CHECK_H
#define DEPAUDIT_PEP_URL_CHECK_H

#include <stdbool.h>

/* true when packaging accepts the URL; else false with *why set. */
bool pep_url_acceptable(const char *url, const char **why);

#endif
