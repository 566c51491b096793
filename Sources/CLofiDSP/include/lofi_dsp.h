// The lo-fi chain's per-sample kernels in C, for the Render module (the only user).
// Each mirrors a Swift stage operation for operation, in the same order and precision, so
// the result is the same bits (RenderTests compare them); C lets the compiler keep both
// channels' filter states in vector registers, which the Swift version spilled to memory.
#ifndef LOFI_DSP_H
#define LOFI_DSP_H

#include <stdint.h>

/// A biquad section as `Biquad` holds it (transposed direct form II, double precision).
typedef struct { double b0, b1, b2, a1, a2, z1, z2; } lofi_biquad;

/// One feedback comb's or all-pass's delay line of one channel: a ring of `mask` + 1 floats
/// (a power of two at least `delay`), zeroed, written at the frame count and read `delay`
/// frames back, which gives the samples a ring of exactly `delay` floats would.
typedef struct { float *line; long delay; } lofi_delay;

/// The fused master chain: warmth, saturation, tape wobble, reverb and surface noise, both
/// channels in one pass. Channel c's state is at index c.
typedef struct {
    // Warmth: low-pass then high-pass, with the flush counter shared by both channels.
    lofi_biquad low[2], high[2];
    // Saturation.
    float drive, inverse;
    // Tape wobble: one modulation for both channels, a ring each.
    double dw, df, base, cw, sw, cf, sf, rw, iw, rf, iff;
    float *ring[2];
    long mask;
    // Reverb: four combs and two all-passes a channel (their filter stores start at 0).
    lofi_delay comb[2][4], allpass[2][2];
    long delay_mask;
    float comb_store[2][4];
    float feedback, damping, wet;
    // Surface noise: a generator, hiss and body filters, clicks a channel; one hum phasor.
    uint64_t rng[2];
    lofi_biquad hiss[2], body[2];
    float hiss_level, hum_level, click[2];
    const long *impulse_index[2];
    const float *impulse_value[2];
    long impulse_count[2], next_impulse[2];
    double hum_c, hum_s, c1, s1;
    // Samples done so far (the flush and renormalisation clocks of every stage).
    long i;
} lofi_chain;

/// Runs `frames` stereo frames through the chain in place.
void lofi_chain_run(lofi_chain *chain, float *left, float *right, long frames);

/// The drum bus's running state (`DrumBus.Stream`): a sample-and-hold clock shared by both
/// channels, the saturation of the held levels as a table of 2·`levels` entries, and two
/// low-pass sections (index [section][channel]).
typedef struct {
    float amount, levels;
    double step, phase;
    const float *shape;
    float shaped[2];
    lofi_biquad filter[2][2];
} lofi_drum_bus;

/// Up to two biquad sections per channel in series (`sections` 0, 1 or 2), each handing the
/// next a float, then the drum bus if there is one, in place: a part's own sound. Flushes
/// decayed filter state every 1,024 frames.
void lofi_band_run(lofi_biquad *left_sections, lofi_biquad *right_sections, int sections,
                   lofi_drum_bus *bus, float *left, float *right, long frames);

#endif
