/* A steady loop over LARGE blocks of mixed sizes (40 KiB to 1 MiB: 8 live,
 * one replaced per step, and a temporary freed at once), as a program that
 * grows and drops buffers does. Prints BEGIN and END around the measured
 * steps, after a warm-up, so that a tracer can count the system calls made
 * in between. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LIVE 8
#define STEPS 2000

static uint64_t x = 88172645463325252ull;

static size_t next_size(void)
{
	x ^= x << 13, x ^= x >> 7, x ^= x << 17;
	return (40u << 10) + (size_t)(x % ((1u << 20) - (40u << 10)));
}

static int step(char **live)
{
	size_t i = (size_t)(x % LIVE);
	size_t size = next_size();
	char *tmp;

	free(live[i]);
	live[i] = malloc(size);
	tmp = malloc(next_size());
	if (live[i] == NULL || tmp == NULL)
		return -1;
	live[i][0] = live[i][size - 1] = 1;
	tmp[0] = 2;
	free(tmp);
	return 0;
}

int main(void)
{
	char *live[LIVE] = { 0 };
	int s;

	for (s = 0; s < STEPS; s++)
		if (step(live) != 0)
			return 3;
	if (write(1, "BEGIN\n", 6) != 6)
		return 2;
	for (s = 0; s < STEPS; s++)
		if (step(live) != 0)
			return 3;
	if (write(1, "END\n", 4) != 4)
		return 2;
	for (s = 0; s < LIVE; s++)
		free(live[s]);
	return 0;
}
