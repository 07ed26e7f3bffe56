/* Fuzz target for the line-protocol parser: parses every request in the
 * input the way a connection would, consuming what each call reports. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "lede/protocol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const proto_limits_t LIMITS = {.max_line = 512, .max_limit = 100, .max_offset = 1000,
                                          .default_limit = 10};
    const char *buf = (const char *)data;
    for (size_t off = 0; off < size;) {
        proto_request_t req;
        proto_error_t err;
        size_t used = 0;
        proto_result_t r = proto_parse(buf + off, size - off, &LIMITS, &req, &used, &err);
        if (r == PROTO_OK) proto_request_free(&req);
        else proto_error_free(&err);
        if (r == PROTO_NEED_MORE || r == PROTO_FATAL || used == 0) break;
        off += used;
    }
    return 0;
}

#ifndef LEDE_LIBFUZZER
int main(int argc, char **argv) {
    int replayed = 0;
    static char buf[1 << 20];
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) return perror(argv[i]), 1;
        size_t n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        LLVMFuzzerTestOneInput((const uint8_t *)buf, n);
        replayed++;
    }
    printf("replayed %d inputs\n", replayed);
    return replayed > 0 ? 0 : 1;
}
#endif
