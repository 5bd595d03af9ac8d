#include <zlib.h>
#include <minizip/zip.h>
#include <minizip/unzip.h>

/* Raw deflate (no zlib header or trailer), at zlib's default level: the form a zip entry holds. deflateInit2 is a
   macro, which Swift cannot call. */
static inline int compound_deflate_init_raw(z_stream *stream) {
  return deflateInit2(stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
}
