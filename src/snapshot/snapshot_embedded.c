/* The committed snapshot file, compiled into the binary so depaudit needs no data file.
 * The assembler includes the bytes (.incbin) at build time; CMake passes the path and
 * makes this object depend on the file. */
#include "snapshot_format.h"

#ifndef DEPAUDIT_SNAPSHOT_FILE
#error "DEPAUDIT_SNAPSHOT_FILE must name the snapshot to embed"
#endif

__asm__(".pushsection .rodata.da_snapshot,\"a\",@progbits\n"
        ".balign 16\n"
        ".globl da_snapshot_embedded_begin\n"
        ".hidden da_snapshot_embedded_begin\n"
        "da_snapshot_embedded_begin:\n"
        ".incbin \"" DEPAUDIT_SNAPSHOT_FILE "\"\n"
        ".globl da_snapshot_embedded_end\n"
        ".hidden da_snapshot_embedded_end\n"
        "da_snapshot_embedded_end:\n"
        ".byte 0\n"
        ".popsection\n");

extern const unsigned char da_snapshot_embedded_begin[];
extern const unsigned char da_snapshot_embedded_end[];

da_snapshot *da_snapshot_open_embedded(da_error *err)
{
    size_t len = (size_t)(da_snapshot_embedded_end - da_snapshot_embedded_begin);
    /* Not copied: the bytes live as long as the program. */
    return snap_open_bytes(da_snapshot_embedded_begin, len, false, "embedded snapshot", err);
}
