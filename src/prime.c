/*
 * prime: integer square root, the mod-30 wheel and the resumable scan.
 *
 * Invariant of a running scan: every divisor below s->next that is coprime
 * to 30 has been tried and does not divide n; s->next <= s->root + 30.
 * Departures from the book: Python tries every odd d; we try only d coprime
 * to 30 (7, 11, 13, 17, 19, 23, 29, 31, 37, ...), same verdicts, fewer
 * steps; and the remainder is found with the floating-point divider (see
 * divides_fp), which is twice as fast as the integer one on x86-64.
 *
 * The vector paths (prime_path, --simd) change only how whole wheel turns
 * above the integer range are tried: one turn's 8 divisors go through 1, 2
 * or 4 vectors (lanes_* below).  They are compiled for their instruction
 * set with function attributes, so the build needs no -march flag, and
 * chosen per step from what the CPU reported once (no ifunc: musl has
 * none).  Python has no such level of parallelism: CPython divides one
 * int object at a time.
 */
#include <errno.h>
#include <stdatomic.h>
#include <string.h>

#include "prime.h"

#if defined(__GNUC__) && defined(__x86_64__)
#define PRIME_X86 1
#include <cpuid.h>
#include <immintrin.h>
#endif
#if defined(__GNUC__) && defined(__aarch64__) && defined(__ARM_NEON)
#define PRIME_ARM 1
#include <arm_neon.h>
#endif

const uint64_t prime_book_numbers[PRIME_BOOK_COUNT] = {
	2, 142702110479723, 299593572317531, 3333333333333301,
	3333333333333333, 3333335652092209, 4444444444444423,
	4444444444444444, 4444444488888889, 5555553133149889,
	5555555555555503, 5555555555555555, 6666666666666666,
	6666666666666719, 6666667141414921, 7777777536340681,
	7777777777777753, 7777777777777777, 9999999999999917,
	9999999999999999,
};

/* Gaps between successive wheel divisors, starting at 7 (spoke 0). */
static const unsigned char gap[8] = { 4, 2, 4, 2, 4, 6, 2, 6 };

uint64_t prime_isqrt(uint64_t n)
{
	/* Digit-by-digit binary method: exact, no floating point. */
	uint64_t root = 0;
	uint64_t bit;

	if (n == 0)
		return 0;
	/* The highest power of 4 <= n: 16 steps below 2^32, not 32. */
	bit = (uint64_t)1 << ((63 - __builtin_clzll(n)) & ~1);
	while (bit != 0) {
		if (n >= root + bit) {
			n -= root + bit;
			root = (root >> 1) + bit;
		} else {
			root >>= 1;
		}
		bit >>= 2;
	}
	return root;
}

static void decide(struct prime_scan *s, bool verdict)
{
	s->done = true;
	s->prime = verdict;
}

void prime_scan_start(struct prime_scan *s, uint64_t n)
{
	s->n = n;
	s->root = prime_isqrt(n);
	s->next = 7;
	s->tried = 0;
	s->spoke = 0;
	s->path = PRIME_SCALAR;
	s->done = false;
	s->prime = false;
	if (n < 2)
		decide(s, false);
	else if (n == 2 || n == 3 || n == 5)
		decide(s, true);
	else if (n % 2 == 0 || n % 3 == 0 || n % 5 == 0)
		decide(s, false);
	else if (s->root < 7)
		decide(s, true);	/* 7 .. 48, coprime to 30: prime */
}

/* The offsets of the 8 divisors of one wheel turn from d = 30k + 7. */
#define TURN(test, d)							\
	(test(d) | test((d) + 4) | test((d) + 6) | test((d) + 10) |	\
	 test((d) + 12) | test((d) + 16) | test((d) + 22) | test((d) + 24))

/*
 * Divisibility without the integer divider.  x86-64's 64-bit DIV is slow
 * (about 7 cycles each, even overlapped), its double-precision divider is
 * about twice as fast.  q = n / d in doubles is within 1 of the true
 * quotient while n / d < 2^50 (rounding of n and of the division adds a
 * relative error of 2^-52 at most), so r = n - q*d, computed exactly modulo
 * 2^64, is the true remainder rem, rem + d or rem - d, and d divides n
 * exactly when r is 0, d or -d.  Same verdicts as n % d == 0.
 */
static inline int divides_fp(uint64_t n, double nd, uint64_t d)
{
	uint64_t q = (uint64_t)(int64_t)(nd / (double)(int64_t)d);
	uint64_t r = n - q * d;

	return (r == 0) | (r == d) | (r + d == 0);
}

/* ---- the vector paths ----
 *
 * Why each lane's answer is exact (the same argument as divides_fp, made
 * tighter so that one comparison settles a lane).  A lane tests one
 * divisor d of a whole turn: 7 <= d < 2^32, and d >= fp_from, so the true
 * quotient x = n / d is below 2^50.
 *
 * 1. The quotient.  (double)n is within n * 2^-53 of n, d is exact, and
 *    the division adds a relative error of at most 2^-53: X = fl(fl(n)/d)
 *    is within x * 2^-51.9 < 0.26 of x.  q, X rounded to the nearest
 *    integer, is within 0.76 of x: |q - x| < 1.
 * 2. The remainder r = n - q*d = d * (x - q) is an integer with |r| < d
 *    and r = n (mod d): so d divides n exactly when r == 0.
 * 3. Computing r exactly.  Doubles: n = nh + nl with nh = n with its low
 *    11 bits cleared (at most 53 significant bits: exact) and nl = n & 2047
 *    (exact).  fma(-q, d, nh) = nh - q*d = r - nl is an integer of
 *    magnitude below 2^33 + 2^11 < 2^53, so the fused multiply-add's one
 *    rounding leaves it exact, and adding nl is exact too.  Integers (SSE2,
 *    which has no FMA): |r| < d < 2^32, so r == 0 exactly when r is 0
 *    modulo 2^32, and r modulo 2^32 is n - lo32(q) * d modulo 2^32: one
 *    32x32-bit multiply per lane.
 *
 * So every lane says "d divides n" exactly when n % d == 0; the scalar
 * core's divides_fp accepts r in {-d, 0, d} because its quotient is
 * truncated, not rounded.  The divisors are doubles too: integers below
 * 2^33, exact, and stepping them by 30 is exact.
 */
#define LOW_BITS UINT64_C(0x7ff)	/* nl: the bits a double may lose */

/* The wheel's offsets from d = 30k + 7: one turn. */
#define OFFSETS 0, 4, 6, 10, 12, 16, 22, 24

#ifdef PRIME_X86
/*
 * The AVX-512 and AVX2 paths are one loop, stamped out per width by
 * LANES_FN from that width's intrinsics (prefix P: _mm512 or _mm256), so
 * each is compiled straight, with no call through a pointer.  A turn is 8
 * lanes: one 8-lane vector, or two 4-lane ones.  Each iteration tests two
 * vectors, a and b, then steps both by STEP; TURNS (2 or 1) is how many
 * turns that covers.  HITS(r) is the bit mask of the lanes where r == 0,
 * ROUND(x) rounds to the nearest integer.
 */
#define LANES_FN(name, tgt, vec, P, ROUND, HITS, OFF_A, OFF_B, TURNS)	\
__attribute__((target(tgt)))						\
static inline int name##_hits(vec dv, vec nd, vec nh, vec nl)		\
{									\
	vec q = ROUND(P##_div_pd(nd, dv));				\
									\
	return HITS(P##_add_pd(P##_fnmadd_pd(q, dv, nh), nl));		\
}									\
									\
__attribute__((target(tgt)))						\
static uint64_t name(uint64_t n, uint64_t d, uint64_t max_turns,	\
		     bool *found)					\
{									\
	const vec nd = P##_set1_pd((double)n);				\
	const vec nh = P##_set1_pd((double)(n & ~LOW_BITS));		\
	const vec nl = P##_set1_pd((double)(n & LOW_BITS));		\
	const vec step = P##_set1_pd(30.0 * (TURNS));			\
	vec a = P##_add_pd(P##_set1_pd((double)d), P##_setr_pd OFF_A);	\
	vec b = P##_add_pd(P##_set1_pd((double)d), P##_setr_pd OFF_B);	\
	uint64_t t;							\
									\
	*found = true;							\
	for (t = 0; t + (TURNS) <= max_turns; t += (TURNS)) {		\
		int ha = name##_hits(a, nd, nh, nl);			\
		int hb = name##_hits(b, nd, nh, nl);			\
									\
		if ((ha | hb) != 0)					\
			return t + ((TURNS) == 2 && ha == 0);		\
		a = P##_add_pd(a, step);				\
		b = P##_add_pd(b, step);				\
	}								\
	/* An odd turn left over: with TURNS 2, a alone is one turn. */	\
	if ((TURNS) == 2 && t < max_turns &&				\
	    name##_hits(a, nd, nh, nl) != 0)				\
		return t;						\
	*found = false;							\
	return max_turns;						\
}

#define ROUND_NEAREST	(_MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)
#define ROUND8(x)	_mm512_roundscale_pd((x), ROUND_NEAREST)
#define HITS8(r)	_mm512_cmp_pd_mask((r), _mm512_setzero_pd(), _CMP_EQ_OQ)
#define ROUND4(x)	_mm256_round_pd((x), ROUND_NEAREST)
#define HITS4(r)	_mm256_movemask_pd(_mm256_cmp_pd((r), \
					_mm256_setzero_pd(), _CMP_EQ_OQ))

/* 8 lanes: a is a turn, b the next one. */
LANES_FN(lanes_avx512, "avx512f", __m512d, _mm512, ROUND8, HITS8,
	 (OFFSETS), (30, 34, 36, 40, 42, 46, 52, 54), 2)
/* 4 lanes: a and b are the two halves of one turn. */
LANES_FN(lanes_avx2, "avx2,fma", __m256d, _mm256, ROUND4, HITS4,
	 (0, 4, 6, 10), (12, 16, 22, 24), 1)

/* 2 lanes, integers for the remainder (point 3 above).  Returns a mask
 * with bit 0 or 2 set for a lane whose remainder is 0. */
static inline int hits2(__m128d dv, __m128i di, __m128d nd, __m128i ni)
{
	const __m128d magic = _mm_set1_pd(4503599627370496.0);	/* 2^52 */
	/* X + 2^52 rounds X to the nearest integer q (X < 2^51), whose low
	 * 32 bits are then the low bits of the sum: no convert needed. */
	__m128i q = _mm_castpd_si128(_mm_add_pd(_mm_div_pd(nd, dv), magic));
	__m128i r = _mm_sub_epi32(ni, _mm_mul_epu32(q, di));

	/* Low halves (bits 0 and 2) only: the 32-bit remainder. */
	return _mm_movemask_ps(_mm_castsi128_ps(
		_mm_cmpeq_epi32(r, _mm_setzero_si128()))) & 5;
}

static uint64_t lanes_sse2(uint64_t n, uint64_t d, uint64_t max_turns,
			   bool *found)
{
	const __m128d nd = _mm_set1_pd((double)n);
	const __m128i ni = _mm_set1_epi64x((long long)n);
	const __m128d step = _mm_set1_pd(30.0);
	const __m128i stepi = _mm_set1_epi64x(30);
	const __m128i d0 = _mm_set1_epi64x((long long)d);
	/* Lane pairs of a turn: d + {0, 4}, {6, 10}, {12, 16}, {22, 24}. */
	__m128i i0 = _mm_add_epi64(d0, _mm_set_epi64x(4, 0));
	__m128i i1 = _mm_add_epi64(d0, _mm_set_epi64x(10, 6));
	__m128i i2 = _mm_add_epi64(d0, _mm_set_epi64x(16, 12));
	__m128i i3 = _mm_add_epi64(d0, _mm_set_epi64x(24, 22));
	__m128d v0 = _mm_set_pd((double)(d + 4), (double)d);
	__m128d v1 = _mm_set_pd((double)(d + 10), (double)(d + 6));
	__m128d v2 = _mm_set_pd((double)(d + 16), (double)(d + 12));
	__m128d v3 = _mm_set_pd((double)(d + 24), (double)(d + 22));
	uint64_t t;

	for (t = 0; t < max_turns; t++) {
		if ((hits2(v0, i0, nd, ni) | hits2(v1, i1, nd, ni) |
		     hits2(v2, i2, nd, ni) | hits2(v3, i3, nd, ni)) != 0) {
			*found = true;
			return t;
		}
		v0 = _mm_add_pd(v0, step);
		v1 = _mm_add_pd(v1, step);
		v2 = _mm_add_pd(v2, step);
		v3 = _mm_add_pd(v3, step);
		i0 = _mm_add_epi64(i0, stepi);
		i1 = _mm_add_epi64(i1, stepi);
		i2 = _mm_add_epi64(i2, stepi);
		i3 = _mm_add_epi64(i3, stepi);
	}
	*found = false;
	return max_turns;
}
#endif /* PRIME_X86 */

#ifdef PRIME_ARM
/* 2 lanes, doubles with a fused multiply-subtract (point 3 above). */
static uint64_t lanes_neon(uint64_t n, uint64_t d, uint64_t max_turns,
			   bool *found)
{
	static const double off[8] = { OFFSETS };
	const float64x2_t nd = vdupq_n_f64((double)n);
	const float64x2_t nh = vdupq_n_f64((double)(n & ~LOW_BITS));
	const float64x2_t nl = vdupq_n_f64((double)(n & LOW_BITS));
	const float64x2_t step = vdupq_n_f64(30.0);
	float64x2_t dv[4];
	uint64_t t;
	int i;

	for (i = 0; i < 4; i++)
		dv[i] = vaddq_f64(vdupq_n_f64((double)d), vld1q_f64(off + 2 * i));
	for (t = 0; t < max_turns; t++) {
		uint64x2_t any = vdupq_n_u64(0);

		for (i = 0; i < 4; i++) {
			float64x2_t q = vrndnq_f64(vdivq_f64(nd, dv[i]));
			float64x2_t r = vaddq_f64(vfmsq_f64(nh, q, dv[i]), nl);

			any = vorrq_u64(any, vceqzq_f64(r));
			dv[i] = vaddq_f64(dv[i], step);
		}
		if (vmaxvq_u32(vreinterpretq_u32_u64(any)) != 0) {
			*found = true;
			return t;
		}
	}
	*found = false;
	return max_turns;
}
#endif /* PRIME_ARM */

/* Whole turns on a vector path the CPU has (checked by the caller). */
static uint64_t lanes(enum prime_path path, uint64_t n, uint64_t d,
		      uint64_t max_turns, bool *found)
{
	switch (path) {
#ifdef PRIME_X86
	case PRIME_AVX512:
		return lanes_avx512(n, d, max_turns, found);
	case PRIME_AVX2:
		return lanes_avx2(n, d, max_turns, found);
	case PRIME_SSE2:
		return lanes_sse2(n, d, max_turns, found);
#endif
#ifdef PRIME_ARM
	case PRIME_NEON:
		return lanes_neon(n, d, max_turns, found);
#endif
	default:
		break;
	}
	(void)n;
	(void)d;
	(void)max_turns;
	*found = false;
	return 0;	/* not reached: prime_scan_step checked the path */
}

/* ---- which paths this CPU has ---- */

#ifdef PRIME_X86
/* XCR0, the register states the OS saves: bits 1-2 SSE and AVX (YMM),
 * 5-7 AVX-512 (opmask, ZMM0-15 upper halves, ZMM16-31). */
static uint64_t xcr0(void)
{
	uint32_t lo, hi;

	__asm__ volatile ("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return (uint64_t)hi << 32 | lo;
}
#endif

static unsigned detect(void)
{
	unsigned mask = 1u << PRIME_SCALAR;
#ifdef PRIME_X86
	unsigned a, b, c, d, b7 = 0, c7, d7;
	uint64_t os = 0;

	mask |= 1u << PRIME_SSE2;	/* part of x86-64 */
	if (!__get_cpuid(1, &a, &b, &c, &d))
		return mask;
	if (c & bit_OSXSAVE)
		os = xcr0();
	if (__get_cpuid_max(0, NULL) >= 7)
		__cpuid_count(7, 0, a, b7, c7, d7);
	/* valgrind's CPU and some VMs hide AVX-512 in cpuid: then it is
	 * absent here too. */
	if ((c & bit_AVX) && (c & bit_FMA) && (b7 & bit_AVX2) &&
	    (os & 0x6) == 0x6)
		mask |= 1u << PRIME_AVX2;
	if ((mask & 1u << PRIME_AVX2) && (b7 & bit_AVX512F) &&
	    (os & 0xe6) == 0xe6)
		mask |= 1u << PRIME_AVX512;
#endif
#ifdef PRIME_ARM
	mask |= 1u << PRIME_NEON;	/* Advanced SIMD is part of AArch64 */
#endif
	return mask;
}

/* The paths the CPU has, one bit each; 0 until first asked (detect()
 * always sets the scalar bit).  Two threads may both detect: same answer. */
static atomic_uint supported;

bool prime_path_supported(enum prime_path path)
{
	unsigned mask = atomic_load_explicit(&supported, memory_order_relaxed);

	if (mask == 0) {
		mask = detect();
		atomic_store_explicit(&supported, mask, memory_order_relaxed);
	}
	return (unsigned)path < PRIME_PATHS && (mask >> path & 1u);
}

/* Fastest first, as measured (docs/simd.md). */
static const enum prime_path by_speed[] = {
	PRIME_AVX512, PRIME_AVX2, PRIME_NEON, PRIME_SSE2,
};

enum prime_path prime_path_best(void)
{
	size_t i;

	for (i = 0; i < sizeof(by_speed) / sizeof(by_speed[0]); i++)
		if (prime_path_supported(by_speed[i]))
			return by_speed[i];
	return PRIME_SCALAR;
}

static const char *const path_names[PRIME_PATHS] = {
	"scalar", "sse2", "avx2", "avx512", "neon",
};
static const unsigned char path_lanes[PRIME_PATHS] = { 1, 2, 4, 8, 2 };

const char *prime_path_name(enum prime_path path)
{
	return (unsigned)path < PRIME_PATHS ? path_names[path] : "?";
}

unsigned prime_path_lanes(enum prime_path path)
{
	return (unsigned)path < PRIME_PATHS ? path_lanes[path] : 0;
}

int prime_path_parse(const char *name, enum prime_path *path)
{
	unsigned i;

	if (strcmp(name, "auto") == 0) {
		*path = prime_path_best();
		return 0;
	}
	for (i = 0; i < PRIME_PATHS; i++)
		if (strcmp(name, path_names[i]) == 0) {
			*path = (enum prime_path)i;
			return prime_path_supported(*path) ? 0 : -ENOTSUP;
		}
	return -EINVAL;
}

/*
 * n below 2^32: divisibility by multiplication.  For odd d, inv(d) * d = 1
 * modulo 2^32, and q = n * inv(d) modulo 2^32 is n / d when d divides n;
 * so d divides n exactly when q * d, in 64 bits, is n (when it does not,
 * q * d is another number equal to n modulo 2^32).  Two multiplications
 * instead of a division (about 5 cycles on x86-64, even in doubles): the
 * filter's numbers are small.  The inverses of the wheel's divisors below
 * 2^16 (all a 32-bit n needs) are made once, by whichever thread first
 * needs them: every writer stores the same values, relaxed atomics make
 * that well defined, and the flag's release publishes the table.
 */
#define TURNS32 2184		/* the turns k with 30k + 31 < 2^16 */
static _Atomic uint32_t inv32[TURNS32 * 8];
static atomic_bool inv32_ready;
static const unsigned char turn_offset[8] = { OFFSETS };

static uint32_t inverse32(uint32_t d)
{
	uint32_t x = d;		/* right to 3 bits: d * d = 1 mod 8 */
	int i;

	for (i = 0; i < 4; i++)	/* Newton: 6, 12, 24, 48 bits */
		x *= 2 - d * x;
	return x;
}

static void inv32_make(void)
{
	uint32_t k;
	unsigned j;

	for (k = 0; k < TURNS32; k++)
		for (j = 0; j < 8; j++)
			atomic_store_explicit(&inv32[k * 8 + j],
					      inverse32(30 * k + 7 +
							turn_offset[j]),
					      memory_order_relaxed);
	atomic_store_explicit(&inv32_ready, true, memory_order_release);
}

static inline int divides32(uint32_t n, uint32_t d, size_t i)
{
	uint32_t q = n * atomic_load_explicit(&inv32[i], memory_order_relaxed);

	return (uint64_t)q * d == n;
}

/* whole_turns for n < 2^32 (so every d of a turn is below 2^16). */
static uint64_t turns32(uint32_t n, uint64_t d, uint64_t max_turns,
			bool *found)
{
	uint64_t turns;
	size_t i = (size_t)(d - 7) / 30 * 8;
	uint32_t d32 = (uint32_t)d;

#define INV_TEST(j) divides32(n, d32 + turn_offset[j], i + (j))
	if (!atomic_load_explicit(&inv32_ready, memory_order_acquire))
		inv32_make();
	if (max_turns > TURNS32 - i / 8)	/* cannot happen: root < 2^16 */
		max_turns = TURNS32 - i / 8;
	for (turns = 0; turns < max_turns; turns++, d32 += 30, i += 8)
		if (INV_TEST(0) | INV_TEST(1) | INV_TEST(2) | INV_TEST(3) |
		    INV_TEST(4) | INV_TEST(5) | INV_TEST(6) | INV_TEST(7))
			return turns;
#undef INV_TEST
	*found = false;
	return turns;
}

/*
 * Whole wheel turns (8 divisors each, d = 30k + 7 .. 30k + 31), at most
 * max_turns, every divisor below 2^32.  Returns the number of turns
 * completed; *found is set when a divisor of n lies in the turn after
 * those.  Every path tries the turns below fp_from with integer division
 * (there the double quotient is not exact enough), the others its own way.
 */
static uint64_t whole_turns(uint64_t n, uint64_t d, uint64_t max_turns,
			    enum prime_path path, bool *found)
{
	const uint64_t fp_from = (n >> 50) + 1;	/* quotients below 2^50 */
	const double nd = (double)n;
	uint64_t turns = 0;

#define INT_TEST(x) (n % (x) == 0)
#define FP_TEST(x) divides_fp(n, nd, (x))
	*found = true;
	if (n <= UINT32_MAX && path == PRIME_SCALAR)
		return turns32((uint32_t)n, d, max_turns, found);
	for (; turns < max_turns && d < fp_from; turns++, d += 30)
		if (TURN(INT_TEST, d))
			return turns;
	if (path != PRIME_SCALAR && turns < max_turns)
		return turns + lanes(path, n, d, max_turns - turns, found);
	for (; turns < max_turns; turns++, d += 30)
		if (TURN(FP_TEST, d))
			return turns;
#undef INT_TEST
#undef FP_TEST
	*found = false;
	return turns;
}

bool prime_scan_step(struct prime_scan *s, uint64_t budget)
{
	uint64_t left = budget ? budget : UINT64_MAX;
	enum prime_path path = s->path;

	if (s->done)
		return true;
	if (path != PRIME_SCALAR && !prime_path_supported(path))
		path = PRIME_SCALAR;
	/* Fast path: whole turns while at spoke 0 and the turn ends <= root. */
	if (s->spoke == 0 && s->next + 24 <= s->root && left >= 8) {
		uint64_t fit = (s->root - 24 - s->next) / 30 + 1;
		uint64_t turns = left / 8 < fit ? left / 8 : fit;
		bool found;

		turns = whole_turns(s->n, s->next, turns, path, &found);
		s->next += 30 * turns;
		s->tried += 8 * turns;
		left -= 8 * turns;
		if (found) {
			/* The divisor is somewhere in this turn: n is composite,
			 * count the turn as tried. */
			s->tried += 8;
			decide(s, false);
			return true;
		}
	}
	/* Slow path: one divisor at a time (partial turns, the last turn). */
	while (left > 0 && s->next <= s->root) {
		s->tried++;
		left--;
		if (s->n % s->next == 0) {
			decide(s, false);
			return true;
		}
		s->next += gap[s->spoke];
		s->spoke = (s->spoke + 1) & 7;
		if (s->spoke == 0 && left >= 8 && s->next + 24 <= s->root)
			return prime_scan_step(s, budget ? left : 0);
	}
	if (s->next > s->root)
		decide(s, true);
	return s->done;
}

bool prime_scan_run(struct prime_scan *s, uint64_t slice,
		    bool (*between)(void *arg), void *arg)
{
	while (!prime_scan_step(s, slice))
		if (between(arg))
			return false;
	return true;
}

bool is_prime(uint64_t n)
{
	struct prime_scan s;

	prime_scan_start(&s, n);
	return prime_scan_step(&s, 0) && s.prime;
}

uint64_t prime_cost(uint64_t n)
{
	struct prime_scan s;

	prime_scan_start(&s, n);
	prime_scan_step(&s, 0);
	return s.tried;
}
