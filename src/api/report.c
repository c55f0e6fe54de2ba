/* Misuse diagnostics: one line on stderr naming the error and the address,
 * then abort() — or, when the error action is "continue", carry on. */
#include <stdlib.h>
#include "api/internal.h"
#include "ft_malloc.h"

static const char *const ft_misuse_text[3][4] = {
	[FT_OP_FREE] = {
		[FT_NOT_OURS] = "invalid free of ",
		[FT_INTERIOR] = "interior free of ",
		[FT_DOUBLE_FREE] = "double free of ",
	},
	[FT_OP_REALLOC] = {
		[FT_NOT_OURS] = "realloc of invalid pointer ",
		[FT_INTERIOR] = "realloc of interior pointer ",
		[FT_DOUBLE_FREE] = "realloc of freed pointer ",
	},
	[FT_OP_USABLE_SIZE] = {
		[FT_NOT_OURS] = "malloc_usable_size of invalid pointer ",
		[FT_INTERIOR] = "malloc_usable_size of interior pointer ",
		[FT_DOUBLE_FREE] = "malloc_usable_size of freed pointer ",
	},
};

void ft_report_misuse(int op, int verdict, uint64_t addr)
{
	struct ft_out out;

	if (verdict < FT_NOT_OURS || verdict > FT_DOUBLE_FREE)
		verdict = FT_NOT_OURS;
	ft_out_init(&out, 2);
	ft_out_str(&out, "ft_malloc: ");
	ft_out_str(&out, ft_misuse_text[op][verdict]);
	ft_out_hex(&out, addr, 0);
	ft_out_str(&out, "\n");
	ft_out_flush(&out);
	__atomic_add_fetch(&ft_g.errors, 1, __ATOMIC_RELAXED);
	if (__atomic_load_n(&ft_g.on_error, __ATOMIC_RELAXED) != FT_MALLOC_ON_ERROR_CONTINUE)
		abort();
}

unsigned long ftm_set_on_error(enum ft_malloc_on_error action) FT_HIDDEN;
unsigned long ftm_set_on_error(enum ft_malloc_on_error action)
{
	ft_init();
	__atomic_store_n(&ft_g.on_error, (int)action, __ATOMIC_RELAXED);
	return __atomic_load_n(&ft_g.errors, __ATOMIC_RELAXED);
}
FT_ALIAS(ft_malloc_set_on_error, ftm_set_on_error)
