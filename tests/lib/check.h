/* Minimal test reporting shared by every C test program.
 * Each check prints one line, "PASS name" or "FAIL name (file:line)";
 * tests/run.sh counts those lines. A program returns check_exit_status(),
 * non-zero when any check failed. */
#ifndef CHECK_H
#define CHECK_H

#include <stdio.h>

static int check_failures;

#define CHECK(cond, name)                                                      \
	do {                                                                   \
		if (cond) {                                                    \
			printf("PASS %s\n", (name));                           \
		} else {                                                       \
			printf("FAIL %s (%s:%d: %s)\n", (name), __FILE__,      \
			       __LINE__, #cond);                               \
			check_failures++;                                      \
		}                                                              \
		fflush(stdout);                                                \
	} while (0)

static inline int check_exit_status(void)
{
	return check_failures ? 1 : 0;
}

#endif
