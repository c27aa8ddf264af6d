/* DA_APPEND, for the arrays of the public structs, now lives in depaudit/util.h with the
 * other growth macro; this header only forwards to it. */
#ifndef DEPAUDIT_IMAGE_PUSH_H
#define DEPAUDIT_IMAGE_PUSH_H

#include "depaudit/util.h"

#endif
