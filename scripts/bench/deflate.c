/* Floor for `make bench`: deflates the XML parts of a workbook (already written out) the way libxlsxwriter's
 * zip does (raw deflate, zlib's default level), and nothing else: no database, no XML to write.
 * Usage: deflate OUT FILE... */
#include <stdio.h>
#include <zlib.h>

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: deflate OUT FILE...\n"); return 2; }
    FILE *out = fopen(argv[1], "wb");
    if (!out) return 1;
    static unsigned char in[1 << 20], buffer[1 << 20];
    for (int file = 2; file < argc; file++) {
        FILE *source = fopen(argv[file], "rb");
        if (!source) return 1;
        z_stream stream = {0};
        if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) return 1;
        int flush;
        do {
            stream.avail_in = (uInt)fread(in, 1, sizeof in, source);
            stream.next_in = in;
            flush = feof(source) ? Z_FINISH : Z_NO_FLUSH;
            do {
                stream.avail_out = sizeof buffer;
                stream.next_out = buffer;
                deflate(&stream, flush);
                fwrite(buffer, 1, sizeof buffer - stream.avail_out, out);
            } while (stream.avail_out == 0);
        } while (flush != Z_FINISH);
        deflateEnd(&stream);
        fclose(source);
    }
    return fclose(out) == 0 ? 0 : 1;
}
