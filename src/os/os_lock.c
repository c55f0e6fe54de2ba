#include "os/os.h"

void ft_lock(ft_lock_t *l)
{
	pthread_mutex_lock(l);
}

void ft_unlock(ft_lock_t *l)
{
	pthread_mutex_unlock(l);
}

/* In a child after fork: the lock is free again, whoever held it. */
void ft_lock_reset(ft_lock_t *l)
{
	pthread_mutex_t fresh = PTHREAD_MUTEX_INITIALIZER;

	*l = fresh;
}
