// One level's kernels; lofi_math.c includes this once per level with W (floats a vector)
// and SUFFIX set, under that level's target attribute. Operation order mirrors the Swift
// FastMath and LSTMKernel code it replaced, so all levels and that code agree bit for bit.

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define V CAT(vf, W)
#define VI CAT(vi, W)
#define VU CAT(vu, W)

typedef float V __attribute__((vector_size(W * 4), aligned(4)));
typedef int VI __attribute__((vector_size(W * 4), aligned(4)));
typedef unsigned VU __attribute__((vector_size(W * 4), aligned(4)));

// Lanes of `a` where the mask is set, else of `b` (compare results are all ones or zeros).
static inline V CAT(pick, SUFFIX)(VI mask, V a, V b) {
    return (V)(((VI)a & mask) | ((VI)b & ~mask));
}

static inline V CAT(splat, SUFFIX)(float x) { return (V){} + x; }

static inline V CAT(exp, SUFFIX)(V x) {
    x = CAT(pick, SUFFIX)(x < -87.0f, CAT(splat, SUFFIX)(-87.0f), x);
    x = CAT(pick, SUFFIX)(x > 88.0f, CAT(splat, SUFFIX)(88.0f), x);
    // Adding 1.5·2²³ rounds x·log₂e to an integer n kept in the low mantissa bits.
    V shifted = x * 1.44269504f + 12582912.0f;
    V n = shifted - 12582912.0f;
    V r = x - n * 0.693145751953125f - n * 1.428606765330187e-06f;
    V p = CAT(splat, SUFFIX)(1.0f / 720.0f);
    p = p * r + 1.0f / 120.0f;
    p = p * r + 1.0f / 24.0f;
    p = p * r + 1.0f / 6.0f;
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    VU bits = (((VU)shifted - 0x4B400000u) + 127u) << 23;
    return p * (V)bits;
}

// Negation is 0 − x, as Swift's SIMD prefix minus computes it (so −(+0) is +0 here too,
// which is what makes tanh of a tiny negative cell state +0, bit for bit as before).
static inline V CAT(sigmoid, SUFFIX)(V x) { return 1.0f / (1.0f + CAT(exp, SUFFIX)(0.0f - x)); }

static inline V CAT(tanh, SUFFIX)(V x) {
    // sign(x)·(1 − e^{−2|x|}) / (1 + e^{−2|x|}): no cancellation for large |x|.
    VI negative = x < 0.0f;
    V a = CAT(pick, SUFFIX)(negative, 0.0f - x, x);
    V e = CAT(exp, SUFFIX)(-2.0f * a);
    V t = (1.0f - e) / (1.0f + e);
    return CAT(pick, SUFFIX)(negative, 0.0f - t, t);
}

// n floats (1…W) in and out; a short tail goes through a zero-padded copy.
static inline V CAT(load, SUFFIX)(const float *p, long n) {
    V v = {};
    if (n == W) { __builtin_memcpy(&v, p, sizeof v); } else { __builtin_memcpy(&v, p, (size_t)n * 4); }
    return v;
}

static inline void CAT(store, SUFFIX)(V v, float *p, long n) {
    if (n == W) { __builtin_memcpy(p, &v, sizeof v); } else { __builtin_memcpy(p, &v, (size_t)n * 4); }
}

static void CAT(lstm_forward, SUFFIX)(float *gates, const float *c_prev, const float *h_prev, float *c, float *h,
                                     float *tanh_c, long rows, long H, const bool *mask) {
    for (long r = 0; r < rows; r++) {
        float *g = gates + r * 4 * H, *co = c + r * H, *ho = h + r * H;
        const float *cp = c_prev + r * H;
        if (mask && !mask[r]) {
            if (co != cp) __builtin_memmove(co, cp, (size_t)H * 4);
            if (ho != h_prev + r * H) __builtin_memmove(ho, h_prev + r * H, (size_t)H * 4);
            continue;
        }
        for (long j = 0; j < H; j += W) {
            long n = H - j < W ? H - j : W;
            V i = CAT(sigmoid, SUFFIX)(CAT(load, SUFFIX)(g + j, n));
            V f = CAT(sigmoid, SUFFIX)(CAT(load, SUFFIX)(g + H + j, n));
            V gg = CAT(tanh, SUFFIX)(CAT(load, SUFFIX)(g + 2 * H + j, n));
            V o = CAT(sigmoid, SUFFIX)(CAT(load, SUFFIX)(g + 3 * H + j, n));
            CAT(store, SUFFIX)(i, g + j, n);
            CAT(store, SUFFIX)(f, g + H + j, n);
            CAT(store, SUFFIX)(gg, g + 2 * H + j, n);
            CAT(store, SUFFIX)(o, g + 3 * H + j, n);
            V cn = f * CAT(load, SUFFIX)(cp + j, n) + i * gg;
            CAT(store, SUFFIX)(cn, co + j, n);
            V tc = CAT(tanh, SUFFIX)(cn);
            if (tanh_c) CAT(store, SUFFIX)(tc, tanh_c + r * H + j, n);
            CAT(store, SUFFIX)(o * tc, ho + j, n);
        }
    }
}

static void CAT(lstm_backward, SUFFIX)(const float *acts, const float *c_prev, const float *tanh_c, const float *dh,
                                      const float *dc, float *d_gates, float *dc_prev, float *dh_pass, long rows,
                                      long H, const bool *mask) {
    for (long r = 0; r < rows; r++) {
        const float *a = acts + r * 4 * H, *cp = c_prev + r * H, *tcr = tanh_c + r * H;
        const float *dhr = dh + r * H, *dcr = dc + r * H;
        float *d = d_gates + r * 4 * H, *dcp = dc_prev + r * H;
        if (mask && !mask[r]) {
            __builtin_memset(d, 0, (size_t)(4 * H) * 4);
            __builtin_memmove(dcp, dcr, (size_t)H * 4);
            __builtin_memmove(dh_pass + r * H, dhr, (size_t)H * 4);
            continue;
        }
        __builtin_memset(dh_pass + r * H, 0, (size_t)H * 4);
        for (long j = 0; j < H; j += W) {
            long n = H - j < W ? H - j : W;
            V i = CAT(load, SUFFIX)(a + j, n), f = CAT(load, SUFFIX)(a + H + j, n);
            V gg = CAT(load, SUFFIX)(a + 2 * H + j, n), o = CAT(load, SUFFIX)(a + 3 * H + j, n);
            V tc = CAT(load, SUFFIX)(tcr + j, n);
            V dhv = CAT(load, SUFFIX)(dhr + j, n);
            V dcv = CAT(load, SUFFIX)(dcr + j, n) + dhv * o * (1.0f - tc * tc);
            CAT(store, SUFFIX)(dcv * gg * i * (1.0f - i), d + j, n);
            CAT(store, SUFFIX)(dcv * CAT(load, SUFFIX)(cp + j, n) * f * (1.0f - f), d + H + j, n);
            CAT(store, SUFFIX)(dcv * i * (1.0f - gg * gg), d + 2 * H + j, n);
            CAT(store, SUFFIX)(dhv * tc * o * (1.0f - o), d + 3 * H + j, n);
            CAT(store, SUFFIX)(dcv * f, dcp + j, n);
        }
    }
}

#undef V
#undef VI
#undef VU
