/* fuzz target "threads": the first byte picks 2-4 threads, the rest is split between them;
 * blocks are handed from thread to thread (GIVE/TAKE), so frees and reallocs
 * cross threads; heaps of exited threads are adopted by the next input's
 * threads. The listing is checked when all threads have joined. */
#include <stdint.h>
#include <stddef.h>
#include "fz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_run(data, size, FZ_FAULTS | FZ_THREADS);
	return 0;
}
