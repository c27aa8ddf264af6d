/* SHA-256 (FIPS 180-4), for hash checks of downloaded files and cache keys. Written here
 * rather than pulling in a crypto library for one function. */
#ifndef DEPAUDIT_METADATA_SHA256_H
#define DEPAUDIT_METADATA_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct da_sha256 {
    uint32_t h[8];
    uint64_t total;
    unsigned char block[64];
    size_t fill;
} da_sha256;

void da_sha256_init(da_sha256 *s);
void da_sha256_update(da_sha256 *s, const void *data, size_t n);
void da_sha256_final_hex(da_sha256 *s, char out[65]);
/* One call: the lower-case hex digest of data. */
void da_sha256_hex(const void *data, size_t n, char out[65]);

#endif
