/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Runs a libFuzzer harness over every file of the corpus directories given,
 * so that `make check` replays the corpora without clang's fuzzer runtime.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    size_t n = 0;
    for (int i = 1; i < argc; i++) {
        DIR *d = opendir(argv[i]);
        struct dirent *de;
        if (d == NULL) {
            fprintf(stderr, "replay: cannot open %s\n", argv[i]);
            return 1;
        }
        while ((de = readdir(d)) != NULL) {
            char p[4096];
            FILE *f;
            uint8_t *buf;
            long len;
            if (de->d_name[0] == '.')
                continue;
            snprintf(p, sizeof p, "%s/%s", argv[i], de->d_name);
            f = fopen(p, "rb");
            if (f == NULL)
                continue;
            fseek(f, 0, SEEK_END);
            len = ftell(f);
            rewind(f);
            buf = malloc((size_t)len + 1);
            if (buf == NULL || fread(buf, 1, (size_t)len, f) != (size_t)len) {
                fclose(f);
                free(buf);
                return 1;
            }
            fclose(f);
            LLVMFuzzerTestOneInput(buf, (size_t)len);
            free(buf);
            n++;
        }
        closedir(d);
    }
    printf("replayed %zu inputs\n", n);
    return n > 0 ? 0 : 1;
}
