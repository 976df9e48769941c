/*
 * bench_spinner: what the spinner's machinery costs.  Prints "key value"
 * lines for bench/run.sh:
 *   sleep0_ns        one sleep(0) round trip through the loop, one task
 *                    alone (best of 3)
 *   sleep0_timer_ns  the same while another task sleeps on the timer heap
 *                    (the nap's case: the spinner waits for its tick)
 *   plain_s          prime_scan_step(s, 0) on NUMBER (best of 3)
 *   nap_s            the nap: NUMBER in slices of 50,000 divisors with a
 *                    sleep(0) between, a ticking spin task beside it
 *                    (frames not drawn) (best of 3)
 *   nap_pct          (nap_s / plain_s - 1) * 100
 *   idle_MODEL_ms    CPU ms per second of a spinner drawing frames to
 *                    /dev/null while slow() sleeps (process: parent plus
 *                    child)
 * usage: bench_spinner [NUMBER]   (default 2^61 - 1, a prime)
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "loop.h"
#include "parse.h"
#include "plat.h"
#include "prime.h"
#include "spinner.h"

#define ROUNDS 5000000L

static long rounds_left;

static int yielder(struct loop_task *t, int wake)
{
	(void)wake;
	if (--rounds_left <= 0)
		return loop_return(t, 0);
	t->pc = 1;
	return loop_sleep(t, 0);
}

static int sleeper(struct loop_task *t, int wake)
{
	if (wake == -ECANCELED || t->pc == 1)
		return loop_return(t, 0);
	t->pc = 1;
	return loop_sleep(t, 3600);
}

static double sleep0_ns(bool with_timer)
{
	struct loop *l = loop_create(NULL);
	struct loop_task *y, *s = NULL;
	double t;

	if (with_timer)
		s = loop_create_task(l, sleeper, NULL);
	rounds_left = ROUNDS;
	y = loop_create_task(l, yielder, NULL);
	t = plat_now();
	loop_run(l, y);
	t = plat_now() - t;
	if (s != NULL) {
		loop_cancel(s);
		loop_run(l, s);
	}
	loop_free(l);
	return t / ROUNDS * 1e9;
}

/* --- the nap, as spinner_prime_async_nap.py, without the terminal --- */

struct nap {
	struct prime_scan scan;
	double deadline;
	unsigned long ticks;
};

static int nap_step(struct loop_task *t, int wake)
{
	struct nap *n = t->data;

	(void)wake;
	if (prime_scan_step(&n->scan, SPINNER_NAP_SLICE))
		return loop_return(t, n->scan.prime);
	return loop_sleep(t, 0);
}

static int tick_step(struct loop_task *t, int wake)
{
	struct nap *n = t->data;

	if (wake == -ECANCELED)
		return loop_return(t, 0);
	if (t->pc == 0)
		n->deadline = plat_now();
	t->pc = 1;
	n->ticks++;
	n->deadline += SPINNER_TICK;
	return loop_sleep_until(t, n->deadline);
}

static double nap_s(uint64_t number)
{
	struct loop *l = loop_create(NULL);
	struct loop_task *spin, *work;
	struct nap n = { .ticks = 0 };
	double t = plat_now();

	prime_scan_start(&n.scan, number);
	spin = loop_create_task(l, tick_step, &n);
	work = loop_create_task(l, nap_step, &n);
	loop_run(l, work);
	t = plat_now() - t;
	loop_cancel(spin);
	loop_run(l, spin);
	loop_free(l);
	return t;
}

static double plain_s(uint64_t number)
{
	struct prime_scan s;
	double t = plat_now();

	prime_scan_start(&s, number);
	prime_scan_step(&s, 0);
	return plat_now() - t;
}

/* --- idle CPU --- */

static double cpu_s(void)
{
	struct rusage self, kids;

	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &kids);
	return (double)(self.ru_utime.tv_sec + self.ru_stime.tv_sec +
			kids.ru_utime.tv_sec + kids.ru_stime.tv_sec) +
	       (double)(self.ru_utime.tv_usec + self.ru_stime.tv_usec +
			kids.ru_utime.tv_usec + kids.ru_stime.tv_usec) / 1e6;
}

static double idle_ms(enum spinner_model model, int fd)
{
	struct spinner_opts o = {
		.model = model, .work = SPINNER_SLEEP, .delay = 1.0,
		.fd = fd, .animate = true,
	};
	struct spinner_result r;
	double c = cpu_s(), t = plat_now();

	if (spinner_run(&o, &r) != 0)
		return -1;
	return (cpu_s() - c) / (plat_now() - t) * 1e3;
}

static double min2(double a, double b)
{
	return a < b ? a : b;
}

int main(int argc, char **argv)
{
	static const char *const names[] = { "thread", "process", "coroutine" };
	uint64_t number = (UINT64_C(1) << 61) - 1;
	double s0 = 1e9, s0t = 1e9, plain = 1e9, nap = 1e9;
	int rep, fd, m;

	if (argc > 1 && parse_u64(argv[1], &number) != 0) {
		fprintf(stderr, "bench_spinner: bad number '%s'\n", argv[1]);
		return 2;
	}
	for (rep = 0; rep < 3; rep++) {
		s0 = min2(s0, sleep0_ns(false));
		s0t = min2(s0t, sleep0_ns(true));
		plain = min2(plain, plain_s(number));
		nap = min2(nap, nap_s(number));
	}
	printf("sleep0_ns %.1f\nsleep0_timer_ns %.1f\n", s0, s0t);
	printf("plain_s %.3f\nnap_s %.3f\nnap_pct %.2f\n", plain, nap,
	       (nap / plain - 1) * 100);
	fd = open("/dev/null", O_WRONLY);
	for (m = 0; m < 3 && fd >= 0; m++)
		printf("idle_%s_ms %.2f\n", names[m],
		       idle_ms((enum spinner_model)m, fd));
	return 0;
}
