#include <stddef.h>
#include "os/os.h"

extern char **environ;

const char *ft_os_getenv(const char *name)
{
	char **env = environ;

	if (env == NULL)
		return NULL;
	for (; *env != NULL; env++) {
		const char *e = *env;
		const char *n = name;

		while (*n && *e == *n) {
			e++;
			n++;
		}
		if (*n == '\0' && *e == '=')
			return e + 1;
	}
	return NULL;
}
