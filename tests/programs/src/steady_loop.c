/* A steady malloc/free loop after a warm-up. The markers written around the
 * steady phase let tests/programs/lib_syscalls.sh count the memory system
 * calls made inside it: there must be none. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *volatile sink;

static void phase(int rounds)
{
	static const size_t sizes[] = { 1, 16, 100, 128, 129, 1000, 4000, 20000, 32768 };
	void *batch[100];

	for (int r = 0; r < rounds; r++) {
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			void *p = malloc(sizes[i]);
			memset(p, 1, sizes[i]);
			sink = p;
			free(p);
		}
		for (int i = 0; i < 100; i++)
			batch[i] = malloc((size_t)(i * 37 % 3000) + 1);
		for (int i = 0; i < 100; i++)
			free(batch[(i * 7) % 100]);
	}
}

int main(void)
{
	phase(100);
	write(1, "BEGIN\n", 6);
	phase(20000);
	write(1, "END\n", 4);
	return 0;
}
