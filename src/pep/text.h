/* Character classes as Python's `re` and `str` see them, on UTF-8 text. packaging's
 * regular expressions run on Python strings: `\s` and str.strip() know Unicode white
 * space, IGNORECASE lets a few non-ASCII letters match ASCII ones, `\b` knows Unicode
 * word characters. Matching them here is what makes "same answer as packaging" hold. */
#ifndef DEPAUDIT_PEP_TEXT_H
#define DEPAUDIT_PEP_TEXT_H

#include "depaudit/util.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes one code point at s[0..n). Returns its length (>= 1 when n > 0); a byte that
 * starts no valid sequence decodes as itself (0x80..0xFF) with length 1. */
size_t pep_utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Length of the white-space character (str.isspace()) at s, 0 if there is none. */
size_t pep_space_len(const char *s, size_t n);
/* First position at or after pos that is not white space. */
size_t pep_skip_space(const char *s, size_t n, size_t pos);
/* Length of s[0..n) without its trailing white space. */
size_t pep_rstrip_len(const char *s, size_t n);
/* Whether the code point is a `\w` character (approximate outside Latin, Greek,
 * Cyrillic and the common symbol blocks: other letters count as word characters). */
bool pep_is_word_cp(uint32_t cp);
/* `\b` at byte offset pos of s[0..n). */
bool pep_word_boundary(const char *s, size_t n, size_t pos);
/* Case-insensitive match of one ASCII lower-case letter or digit `c` at s, the way
 * re.IGNORECASE does (so U+017F matches 's', U+212A 'k', U+0130/U+0131 'i').
 * Returns the bytes matched, 0 if none. */
size_t pep_ci_char(const char *s, size_t n, char c);
/* Case-insensitive match of the ASCII word at s; bytes matched or 0. */
size_t pep_ci_word(const char *s, size_t n, const char *word);
/* Whether s starts an ASCII letter/digit under IGNORECASE ([a-z0-9]); bytes or 0. */
size_t pep_ci_alnum(const char *s, size_t n);
/* Appends str.lower() of s[0..n) (exact for ASCII, Latin-1, Latin Extended-A, Greek,
 * Cyrillic (no final-sigma rule) and the special cases U+0130 and U+212A; other
 * characters unchanged). */
void pep_lower_append(da_buf *out, const char *s, size_t n);
/* 1-based column (in characters, as Python counts) of byte offset off. */
int pep_column(const char *s, size_t off);
/* Digits without leading zeros: how Python prints int(s). Never empty ("0"). */
void pep_int_append(da_buf *out, const char *digits, size_t n);

#endif
