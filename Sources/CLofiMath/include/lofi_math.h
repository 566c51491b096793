// The LSTM cell's pointwise kernels (gate nonlinearities, state update, their backward) at
// the CPU's vector width, for the LofiVAE module (the only user). Each level computes the
// same IEEE single-precision operations in the same order as the baseline, lane by lane,
// with no fused multiply-adds, so every level gives the same bits; only the width differs.
#ifndef LOFI_MATH_H
#define LOFI_MATH_H

#include <stdbool.h>

/// Vector levels, in the order the dispatch prefers them.
enum { LOFI_MATH_BASELINE = 0, LOFI_MATH_AVX2 = 1, LOFI_MATH_AVX512 = 2 };

/// The highest level this CPU (and its operating system) runs.
int lofi_math_best_level(void);
/// The level the program uses: the best one, or a lower one that `$LOFI_VECTOR` names
/// (`baseline`, `avx2`, `avx512`; for benchmarks), read once.
int lofi_math_level(void);
/// "baseline (SSE2)", "AVX2" or "AVX-512F".
const char *lofi_math_level_name(int level);

/// Levels above `lofi_math_best_level()` run the best level instead.
///
/// Forward: `gates` [rows × 4H] pre-activations i, f, g, o in, activations out; c = f·cPrev + i·g,
/// h = o·tanh c, and tanh c into `tanh_c` unless NULL. `c_prev` may equal `c` and `h_prev` `h`
/// (the decoder updates in place). Rows whose `mask` entry is false keep cPrev and hPrev.
void lofi_lstm_forward(int level, float *gates, const float *c_prev, const float *h_prev, float *c, float *h,
                       float *tanh_c, long rows, long hidden, const bool *mask);

/// Backward of the forward: the gate pre-activation gradients into `d_gates`, the carried cell
/// gradient into `dc_prev`; masked rows pass dh (into `dh_pass`) and dc straight through.
void lofi_lstm_backward(int level, const float *acts, const float *c_prev, const float *tanh_c, const float *dh,
                        const float *dc, float *d_gates, float *dc_prev, float *dh_pass, long rows, long hidden,
                        const bool *mask);

#endif
