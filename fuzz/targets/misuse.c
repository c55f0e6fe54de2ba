/* fuzz target "misuse": the ops language plus misuse: double, interior and foreign frees,
 * realloc and malloc_usable_size of such pointers, in report-and-continue mode;
 * each must be reported exactly once and change nothing. */
#include <stdint.h>
#include <stddef.h>
#include "fz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_run(data, size, FZ_SHOW | FZ_FAULTS | FZ_MISUSE);
	return 0;
}
