#include "lofi_dsp.h"
#include <math.h>

// No contraction into fused multiply-adds: the Swift stages round every step.
#pragma STDC FP_CONTRACT OFF

typedef double d2 __attribute__((ext_vector_type(2)));
typedef float f2 __attribute__((ext_vector_type(2)));

// Biquad.flush and Biquad.flushInterval.
static const double flush_level = 1e-200;
enum { flush_interval = 1024 };

typedef struct { d2 b0, b1, b2, a1, a2, z1, z2; } stereo_biquad;

static inline stereo_biquad pair(const lofi_biquad *l, const lofi_biquad *r) {
    stereo_biquad s = {
        {l->b0, r->b0}, {l->b1, r->b1}, {l->b2, r->b2}, {l->a1, r->a1}, {l->a2, r->a2},
        {l->z1, r->z1}, {l->z2, r->z2}};
    return s;
}

static inline void unpair(const stereo_biquad *s, lofi_biquad *l, lofi_biquad *r) {
    l->z1 = s->z1.x; l->z2 = s->z2.x;
    r->z1 = s->z1.y; r->z2 = s->z2.y;
}

// Biquad.process: float in, double inside, float out.
static inline f2 biquad(stereo_biquad *s, f2 x) {
    d2 xd = __builtin_convertvector(x, d2);
    d2 y = s->b0 * xd + s->z1;
    s->z1 = s->b1 * xd - s->a1 * y + s->z2;
    s->z2 = s->b2 * xd - s->a2 * y;
    return __builtin_convertvector(y, f2);
}

static inline void flush(stereo_biquad *s) {
    if (fabs(s->z1.x) < flush_level) s->z1.x = 0;
    if (fabs(s->z2.x) < flush_level) s->z2.x = 0;
    if (fabs(s->z1.y) < flush_level) s->z1.y = 0;
    if (fabs(s->z2.y) < flush_level) s->z2.y = 0;
}

// SplitMix64.next.
static inline uint64_t split_mix(uint64_t *state) {
    *state += 0x9E3779B97F4A7C15ull;
    uint64_t z = *state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// The chain runs stage by stage over chunks of `flush_interval` frames (aligned on the
// frame count, so each chunk's first frame is where the stages flush): each stage's loop
// then keeps its few states in registers, where one loop doing all of them ran out of
// registers and waited on memory every frame. The chunk stays in the first-level cache.
void lofi_chain_run(lofi_chain *c, float *left, float *right, long frames) {
    stereo_biquad low = pair(&c->low[0], &c->low[1]), high = pair(&c->high[0], &c->high[1]);
    stereo_biquad hiss = pair(&c->hiss[0], &c->hiss[1]), body = pair(&c->body[0], &c->body[1]);
    const float drive = c->drive, inverse = c->inverse;
    const float feedback = c->feedback, damping = c->damping, wet = c->wet, keep = 1 - damping;
    float click0 = c->click[0], click1 = c->click[1];
    double cw = c->cw, sw = c->sw, cf = c->cf, sf = c->sf;
    double c1 = c->c1, s1 = c->s1;
    long i = c->i;
    for (long start = 0; start < frames; ) {
        // A chunk ends where the next flush falls.
        long end = start + (flush_interval - (i & (flush_interval - 1)));
        if (end > frames) end = frames;
        const long count = end - start, i0 = i;
        // Every stage flushes its filters after the frame whose count is a multiple of
        // the interval: here, the chunk's first.
        const int flushes = (i0 & (flush_interval - 1)) == 0;
        float *l = left + start, *r = right + start;
        // Warmth.
        for (long n = 0; n < count; n++) {
            f2 v = biquad(&high, biquad(&low, (f2){l[n], r[n]}));
            l[n] = v.x; r[n] = v.y;
            if (n == 0 && flushes) { flush(&low); flush(&high); }
        }
        // Saturation (Saturation.softClip), each channel on its own.
        for (long n = 0; n < count; n++) {
            float x = drive * l[n], x2 = x * x;
            float y = x >= 3 ? 1 : x <= -3 ? -1 : x * (27 + x2) / (27 + 9 * x2);
            l[n] = y * inverse;
        }
        for (long n = 0; n < count; n++) {
            float x = drive * r[n], x2 = x * x;
            float y = x >= 3 ? 1 : x <= -3 ? -1 : x * (27 + x2) / (27 + 9 * x2);
            r[n] = y * inverse;
        }
        // Tape wobble (TapeWobble.Kernel.next).
        {
            const double rw = c->rw, iw = c->iw, rf = c->rf, iff = c->iff, base = c->base, dw = c->dw, df = c->df;
            const long mask = c->mask;
            float *ringl = c->ring[0], *ringr = c->ring[1];
            for (long n = 0; n < count; n++) {
                const long t = i0 + n;
                ringl[t & mask] = l[n];
                ringr[t & mask] = r[n];
                double pos = (double)t - (base + dw * sw + df * sf);
                float ol = 0, or_ = 0;
                if (pos >= 0) {
                    long k = (long)pos;
                    float frac = (float)(pos - (double)k);
                    float al = ringl[k & mask], bl = ringl[(k + 1) & mask];
                    float ar = ringr[k & mask], br = ringr[(k + 1) & mask];
                    ol = al + (bl - al) * frac;
                    or_ = ar + (br - ar) * frac;
                }
                double cw2 = cw * rw - sw * iw, sw2 = sw * rw + cw * iw;
                double cf2 = cf * rf - sf * iff, sf2 = sf * rf + cf * iff;
                cw = cw2; sw = sw2; cf = cf2; sf = sf2;
                if ((t & 4095) == 0) {
                    double mw = 1 / sqrt(cw * cw + sw * sw), mf = 1 / sqrt(cf * cf + sf * sf);
                    cw *= mw; sw *= mw; cf *= mf; sf *= mf;
                }
                l[n] = ol;
                r[n] = or_;
            }
        }
        // Reverb (Reverb.Kernel.next), each channel on its own: combs with a one-pole
        // low-pass in the loop, summed in pairs, then two all-passes with gain 1/2.
        for (int ch = 0; ch < 2; ch++) {
            float *y = ch == 0 ? l : r;
            const long dmask = c->delay_mask;
            float *c0 = c->comb[ch][0].line, *c1l = c->comb[ch][1].line, *c2 = c->comb[ch][2].line, *c3 = c->comb[ch][3].line;
            const long d0 = c->comb[ch][0].delay, d1 = c->comb[ch][1].delay, d2_ = c->comb[ch][2].delay, d3 = c->comb[ch][3].delay;
            float *a0 = c->allpass[ch][0].line, *a1 = c->allpass[ch][1].line;
            const long e0 = c->allpass[ch][0].delay, e1 = c->allpass[ch][1].delay;
            float st0 = c->comb_store[ch][0], st1 = c->comb_store[ch][1], st2 = c->comb_store[ch][2], st3 = c->comb_store[ch][3];
            for (long n = 0; n < count; n++) {
                const long t = i0 + n, w = t & dmask;
                const float x = y[n], input = x * 0.015f;
                float o0 = c0[(t - d0) & dmask], o1 = c1l[(t - d1) & dmask], o2 = c2[(t - d2_) & dmask], o3 = c3[(t - d3) & dmask];
                st0 = o0 * keep + st0 * damping; c0[w] = input + st0 * feedback;
                st1 = o1 * keep + st1 * damping; c1l[w] = input + st1 * feedback;
                st2 = o2 * keep + st2 * damping; c2[w] = input + st2 * feedback;
                st3 = o3 * keep + st3 * damping; c3[w] = input + st3 * feedback;
                float v = o0 + o1;
                v += o2 + o3;
                float p = a0[(t - e0) & dmask];
                a0[w] = v + p * 0.5f;
                v = p - v;
                p = a1[(t - e1) & dmask];
                a1[w] = v + p * 0.5f;
                v = p - v;
                y[n] = x + wet * v;
            }
            c->comb_store[ch][0] = st0; c->comb_store[ch][1] = st1; c->comb_store[ch][2] = st2; c->comb_store[ch][3] = st3;
        }
        // Surface noise (SurfaceNoise.Voice.next): the channels' own generators and clicks.
        {
            const f2 hiss_level = {c->hiss_level, c->hiss_level};
            const float hum_level = c->hum_level;
            const double hum_c = c->hum_c, hum_s = c->hum_s;
            uint64_t rng0 = c->rng[0], rng1 = c->rng[1];
            for (long n = 0; n < count; n++) {
                const long t = i0 + n;
                f2 white = {(float)((double)(int64_t)split_mix(&rng0) * 0x1.0p-63),
                            (float)((double)(int64_t)split_mix(&rng1) * 0x1.0p-63)};
                f2 noise = biquad(&hiss, white) * hiss_level;
                click0 *= 0.3f;
                click1 *= 0.3f;
                while (c->next_impulse[0] < c->impulse_count[0] && c->impulse_index[0][c->next_impulse[0]] == t)
                    click0 += c->impulse_value[0][c->next_impulse[0]++];
                while (c->next_impulse[1] < c->impulse_count[1] && c->impulse_index[1][c->next_impulse[1]] == t)
                    click1 += c->impulse_value[1][c->next_impulse[1]++];
                noise += biquad(&body, (f2){click0, click1});
                if (hum_level > 0) {
                    double s2 = 2 * s1 * c1, s3 = s1 * (3 - 4 * s1 * s1);
                    float hum = hum_level * (float)(s1 + 0.5 * s2 + 0.25 * s3);
                    noise += (f2){hum, hum};
                    double c1n = c1 * hum_c - s1 * hum_s, s1n = s1 * hum_c + c1 * hum_s;
                    c1 = c1n; s1 = s1n;
                    if ((t & 4095) == 0) { double m = 1 / sqrt(c1 * c1 + s1 * s1); c1 *= m; s1 *= m; }
                }
                if (n == 0 && flushes) { flush(&hiss); flush(&body); }
                l[n] += noise.x;
                r[n] += noise.y;
            }
            c->rng[0] = rng0; c->rng[1] = rng1;
        }
        i = i0 + count;
        start = end;
    }
    unpair(&low, &c->low[0], &c->low[1]); unpair(&high, &c->high[0], &c->high[1]);
    unpair(&hiss, &c->hiss[0], &c->hiss[1]); unpair(&body, &c->body[0], &c->body[1]);
    c->click[0] = click0; c->click[1] = click1;
    c->cw = cw; c->sw = sw; c->cf = cf; c->sf = sf; c->c1 = c1; c->s1 = s1;
    c->i = i;
}

// DrumBus.Stream.roundedHalfAway: half away from zero, as Float.rounded() (|x| < 2^22).
static inline float rounded_half_away(float x) {
    float t = (float)(int32_t)x;
    float r = x - t;
    return r >= 0.5f ? t + 1 : r <= -0.5f ? t - 1 : t;
}

// Swift's max and min, whose answers for NaN these mirror.
static inline float swift_max(float x, float y) { return y >= x ? y : x; }
static inline float swift_min(float x, float y) { return y < x ? y : x; }

// DrumBus.Stream.process.
static inline f2 drum_bus(lofi_drum_bus *bus, double *phase, f2 *shaped, stereo_biquad *a, stereo_biquad *b, f2 dry) {
    *phase += bus->step;
    if (*phase >= 1) {
        *phase -= 1;
        const float levels = bus->levels;
        for (int c = 0; c < 2; c++) {
            float q = swift_max(-levels, swift_min(levels - 1, rounded_half_away(swift_max(-4 * levels, swift_min(4 * levels, dry[c] * levels)))));
            (*shaped)[c] = bus->shape[(long)(q + levels)];
        }
    }
    f2 y = biquad(b, biquad(a, *shaped));
    return dry + bus->amount * (y - dry);
}

void lofi_band_run(lofi_biquad *left_sections, lofi_biquad *right_sections, int sections,
                   lofi_drum_bus *bus, float *left, float *right, long frames) {
    stereo_biquad a = sections > 0 ? pair(&left_sections[0], &right_sections[0]) : (stereo_biquad){0};
    stereo_biquad b = sections > 1 ? pair(&left_sections[1], &right_sections[1]) : a;
    const int on = bus != 0 && bus->amount > 0;
    stereo_biquad ba = {0}, bb = {0};
    double phase = 0;
    f2 shaped = {0, 0};
    if (bus) {
        ba = pair(&bus->filter[0][0], &bus->filter[0][1]);
        bb = pair(&bus->filter[1][0], &bus->filter[1][1]);
        phase = bus->phase;
        shaped = (f2){bus->shaped[0], bus->shaped[1]};
    }
    for (long start = 0; start < frames; start += flush_interval) {
        long end = start + flush_interval < frames ? start + flush_interval : frames;
        // The band, then the bus, each in a loop of its own: together they would not keep
        // their states in registers.
        if (sections > 1) {
            for (long n = start; n < end; n++) {
                f2 v = biquad(&b, biquad(&a, (f2){left[n], right[n]}));
                left[n] = v.x; right[n] = v.y;
            }
        } else if (sections > 0) {
            for (long n = start; n < end; n++) {
                f2 v = biquad(&a, (f2){left[n], right[n]});
                left[n] = v.x; right[n] = v.y;
            }
        }
        if (on) {
            for (long n = start; n < end; n++) {
                f2 v = drum_bus(bus, &phase, &shaped, &ba, &bb, (f2){left[n], right[n]});
                left[n] = v.x; right[n] = v.y;
            }
        }
        if (sections > 0) flush(&a);
        if (sections > 1) flush(&b);
        if (bus) { flush(&ba); flush(&bb); }
    }
    if (sections > 0) unpair(&a, &left_sections[0], &right_sections[0]);
    if (sections > 1) unpair(&b, &left_sections[1], &right_sections[1]);
    if (bus) {
        unpair(&ba, &bus->filter[0][0], &bus->filter[0][1]);
        unpair(&bb, &bus->filter[1][0], &bus->filter[1][1]);
        bus->phase = phase;
        bus->shaped[0] = shaped.x; bus->shaped[1] = shaped.y;
    }
}
