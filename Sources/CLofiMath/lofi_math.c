#include "lofi_math.h"
#include <stdlib.h>
#include <string.h>

// No contraction into fused multiply-adds: every level must round each step as the
// baseline does, and the AVX2 and AVX-512 targets have FMA instructions to contract into.
#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)
// The baseline's 8-float vectors are passed between inlined helpers only; their ABI never
// crosses a call.
#pragma clang diagnostic ignored "-Wpsabi"

#define W 8
#define SUFFIX _baseline
#include "lstm_kernel.h"
#undef W
#undef SUFFIX

#pragma clang attribute push(__attribute__((target("avx2"))), apply_to = function)
#define W 8
#define SUFFIX _avx2
#include "lstm_kernel.h"
#undef W
#undef SUFFIX
#pragma clang attribute pop

#pragma clang attribute push(__attribute__((target("avx512f"))), apply_to = function)
#define W 16
#define SUFFIX _avx512
#include "lstm_kernel.h"
#undef W
#undef SUFFIX
#pragma clang attribute pop

static int cpu_level(void) {
    // __builtin_cpu_supports also checks that the OS saves the wide registers (XGETBV).
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return LOFI_MATH_AVX512;
    if (__builtin_cpu_supports("avx2")) return LOFI_MATH_AVX2;
    return LOFI_MATH_BASELINE;
}

// Both read once; -1 until then (a race only computes the same value twice).
static int best_level = -1, chosen_level = -1;

int lofi_math_best_level(void) {
    int best = __atomic_load_n(&best_level, __ATOMIC_RELAXED);
    if (best < 0) {
        best = cpu_level();
        __atomic_store_n(&best_level, best, __ATOMIC_RELAXED);
    }
    return best;
}

int lofi_math_level(void) {
    int level = __atomic_load_n(&chosen_level, __ATOMIC_RELAXED);
    if (level >= 0) return level;
    level = lofi_math_best_level();
    const char *asked = getenv("LOFI_VECTOR");
    if (asked) {
        int wanted = strcmp(asked, "baseline") == 0 ? LOFI_MATH_BASELINE
                   : strcmp(asked, "avx2") == 0     ? LOFI_MATH_AVX2
                   : strcmp(asked, "avx512") == 0   ? LOFI_MATH_AVX512
                                                    : level;
        if (wanted < level) level = wanted;
    }
    __atomic_store_n(&chosen_level, level, __ATOMIC_RELAXED);
    return level;
}

const char *lofi_math_level_name(int level) {
    switch (level) {
    case LOFI_MATH_AVX512: return "AVX-512F";
    case LOFI_MATH_AVX2: return "AVX2";
    default: return "baseline (SSE2)";
    }
}

static int runnable(int level) {
    int best = lofi_math_best_level();
    return level < best ? level : best;
}

void lofi_lstm_forward(int level, float *gates, const float *c_prev, const float *h_prev, float *c, float *h,
                       float *tanh_c, long rows, long hidden, const bool *mask) {
    switch (runnable(level)) {
    case LOFI_MATH_AVX512: lstm_forward_avx512(gates, c_prev, h_prev, c, h, tanh_c, rows, hidden, mask); break;
    case LOFI_MATH_AVX2: lstm_forward_avx2(gates, c_prev, h_prev, c, h, tanh_c, rows, hidden, mask); break;
    default: lstm_forward_baseline(gates, c_prev, h_prev, c, h, tanh_c, rows, hidden, mask); break;
    }
}

void lofi_lstm_backward(int level, const float *acts, const float *c_prev, const float *tanh_c, const float *dh,
                        const float *dc, float *d_gates, float *dc_prev, float *dh_pass, long rows, long hidden,
                        const bool *mask) {
    switch (runnable(level)) {
    case LOFI_MATH_AVX512:
        lstm_backward_avx512(acts, c_prev, tanh_c, dh, dc, d_gates, dc_prev, dh_pass, rows, hidden, mask); break;
    case LOFI_MATH_AVX2:
        lstm_backward_avx2(acts, c_prev, tanh_c, dh, dc, d_gates, dc_prev, dh_pass, rows, hidden, mask); break;
    default:
        lstm_backward_baseline(acts, c_prev, tanh_c, dh, dc, d_gates, dc_prev, dh_pass, rows, hidden, mask); break;
    }
}
