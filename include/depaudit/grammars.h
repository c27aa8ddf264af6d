/* The tree-sitter languages compiled from the pinned grammar packages in grammars/. */
#ifndef DEPAUDIT_GRAMMARS_H
#define DEPAUDIT_GRAMMARS_H

#include <tree_sitter/api.h>

const TSLanguage *tree_sitter_python(void);
const TSLanguage *tree_sitter_bash(void);
const TSLanguage *tree_sitter_toml(void);

#endif
