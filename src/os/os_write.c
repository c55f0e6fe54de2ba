/* Formatting for diagnostics and show_alloc_mem, written with write(2) from a
 * buffer on the caller's stack: no stdio, nothing that allocates. */
#include <errno.h>
#include <unistd.h>
#include "os/os.h"

void ft_out_init(struct ft_out *o, int fd)
{
	o->fd = fd;
	o->len = 0;
}

void ft_out_flush(struct ft_out *o)
{
	size_t done = 0;
	int saved = errno;

	while (done < o->len) {
		ssize_t n = write(o->fd, o->buf + done, o->len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	o->len = 0;
	errno = saved;
}

static void ft_out_char(struct ft_out *o, char c)
{
	if (o->len == sizeof(o->buf))
		ft_out_flush(o);
	o->buf[o->len++] = c;
}

void ft_out_str(struct ft_out *o, const char *s)
{
	while (*s)
		ft_out_char(o, *s++);
}

void ft_out_hex(struct ft_out *o, uint64_t v, int upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[16];
	int n = 0;

	ft_out_str(o, "0x");
	do {
		tmp[n++] = digits[v & 15];
		v >>= 4;
	} while (v != 0);
	while (n > 0)
		ft_out_char(o, tmp[--n]);
}

void ft_out_dec(struct ft_out *o, uint64_t v)
{
	char tmp[20];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (n > 0)
		ft_out_char(o, tmp[--n]);
}
