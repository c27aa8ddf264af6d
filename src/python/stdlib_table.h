/* The generated standard-library table (stdlib_table.c, from gen_stdlib.py). */
#ifndef DEPAUDIT_PYTHON_STDLIB_TABLE_H
#define DEPAUDIT_PYTHON_STDLIB_TABLE_H

struct da_stdlib_entry {
    const char *name;  /* top-level or dotted module name */
    unsigned char min; /* first Python 3 minor version that has it */
    unsigned char max; /* last one, 99 while it is still present */
};

extern const struct da_stdlib_entry da_stdlib_entries[];
extern const unsigned da_stdlib_entry_count;

#endif
