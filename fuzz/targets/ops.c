/* fuzz target "ops": every allocation call, realloc in all its forms, malloc_usable_size,
 * show_alloc_mem checked against the model, mmap failure injection. The error
 * action stays "abort": a correct call that is reported as a misuse crashes. */
#include <stdint.h>
#include <stddef.h>
#include "fz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_run(data, size, FZ_SHOW | FZ_FAULTS);
	return 0;
}
