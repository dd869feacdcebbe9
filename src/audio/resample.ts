/**
 * Sample-rate conversion for speech. Downsampling runs a Hann-windowed sinc low-pass at 0.45 x the
 * output rate (evaluated at each output position, so filtering and interpolation are one step);
 * upsampling interpolates linearly. Kernels are precomputed per rate pair, one per distinct phase.
 * A Resampler takes its input in blocks and gives the same samples as one call on the whole input.
 */

/** Half-width of the low-pass kernel in output samples: 8 gives about 2 x 8 x (from/to) taps. */
const HALF_WIDTH_OUT = 8;
/** Low-pass cutoff as a fraction of the output rate (its Nyquist frequency is 0.5). */
const CUTOFF = 0.45;
/** At most this many precomputed phases; rate pairs with more use the nearest one. */
const MAX_PHASES = 1024;

interface Kernel {
  /** Taps run from input index i0 - half + 1 to i0 + half for an output at i0 + frac. */
  half: number;
  phases: number;
  /** phases x (2 * half) weights, phase p for frac = p / phases. */
  weights: Float32Array;
}

const kernels = new Map<string, Kernel>();

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** The weight of the input sample `u` input samples away from the output position. */
function tap(u: number, half: number, fc: number, down: boolean): number {
  if (!down) return Math.max(0, 1 - Math.abs(u)); // linear interpolation
  if (Math.abs(u) >= half) return 0;
  const sinc = u === 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * u) / (Math.PI * u);
  return sinc * (0.5 + 0.5 * Math.cos((Math.PI * u) / half));
}

function kernelFor(fromRate: number, toRate: number): Kernel {
  const id = `${fromRate}:${toRate}`;
  const cached = kernels.get(id);
  if (cached) return cached;
  const down = fromRate > toRate;
  const half = down ? Math.ceil((HALF_WIDTH_OUT * fromRate) / toRate) : 1;
  const fc = (CUTOFF * toRate) / fromRate; // cycles per input sample
  const exact = Number.isInteger(fromRate) && Number.isInteger(toRate) ? toRate / gcd(fromRate, toRate) : Infinity;
  const phases = Math.min(exact, MAX_PHASES);
  const taps = 2 * half;
  const weights = new Float32Array(phases * taps);
  for (let p = 0; p < phases; p++) {
    const frac = p / phases;
    const row = new Float64Array(taps);
    let sum = 0;
    for (let t = 0; t < taps; t++) sum += row[t] = tap(frac + half - 1 - t, half, fc, down);
    for (let t = 0; t < taps; t++) weights[p * taps + t] = row[t]! / sum; // unity gain at DC
  }
  const kernel = { half, phases, weights };
  if (kernels.size > 32) kernels.clear();
  kernels.set(id, kernel);
  return kernel;
}

/** Streaming sample-rate converter: push() blocks, then flush() once for the last samples. */
export class Resampler {
  private readonly kernel: Kernel;
  private buf: Float32Array = new Float32Array(0); // input samples from index `base` on
  private base = 0;
  private received = 0;
  private first = 0;
  private next = 0; // index of the next output sample

  constructor(
    readonly fromRate: number,
    readonly toRate: number,
  ) {
    if (!(fromRate > 0 && toRate > 0)) throw new RangeError(`bad sample rates ${fromRate} -> ${toRate}`);
    this.kernel = kernelFor(fromRate, toRate);
  }

  /** Add input; returns the output samples that no longer depend on input still to come. */
  push(input: Float32Array): Float32Array {
    if (input.length === 0) return new Float32Array(0);
    if (this.received === 0) this.first = input[0]!;
    const keep = this.buf;
    if (keep.length === 0) {
      this.buf = input;
    } else {
      this.buf = new Float32Array(keep.length + input.length);
      this.buf.set(keep);
      this.buf.set(input, keep.length);
    }
    this.received += input.length;
    const out = this.produce(false);
    if (this.buf === input) this.buf = input.slice(); // never keep the caller's array
    return out;
  }

  /** The input ended: returns the remaining output (the last samples repeat the final input sample). */
  flush(): Float32Array {
    return this.produce(true);
  }

  private produce(final: boolean): Float32Array {
    const { half, phases, weights } = this.kernel;
    const taps = 2 * half;
    const n = this.received;
    const total = Math.floor((n * this.toRate) / this.fromRate);
    // Without `final`, output i needs input up to floor(i * from / to) + half.
    const ready = final ? total : Math.min(total, Math.floor(((n - half) * this.toRate) / this.fromRate));
    const count = Math.max(0, ready - this.next);
    const out = new Float32Array(count);
    const buf = this.buf;
    const base = this.base;
    const last = buf.length > 0 ? buf[buf.length - 1]! : this.first; // input index n - 1
    for (let o = 0; o < count; o++) {
      const i = this.next + o;
      const num = i * this.fromRate;
      const i0 = Math.floor(num / this.toRate);
      const row = Math.min(phases - 1, Math.round(((num - i0 * this.toRate) * phases) / this.toRate)) * taps;
      const k0 = i0 - half + 1;
      let acc = 0;
      if (k0 >= base && k0 + taps <= n) {
        const at = k0 - base;
        for (let t = 0; t < taps; t++) acc += weights[row + t]! * buf[at + t]!;
      } else {
        for (let t = 0; t < taps; t++) {
          const k = k0 + t;
          const v = k < 0 ? this.first : k >= n ? last : buf[k - base]!;
          acc += weights[row + t]! * v;
        }
      }
      out[o] = acc;
    }
    this.next += count;
    // Keep only the input that later outputs will read.
    const drop = Math.min(Math.floor((this.next * this.fromRate) / this.toRate) - half + 1 - base, buf.length);
    if (drop > 0) {
      this.buf = buf.slice(drop);
      this.base += drop;
    }
    return out;
  }
}

/** Resample a whole signal (see Resampler). Returns `input` itself when the rates match. */
export function resample(input: Float32Array, fromRate: number, toRate: number): Float32Array {
  if (fromRate === toRate || input.length === 0) return input;
  const r = new Resampler(fromRate, toRate);
  const head = r.push(input);
  const tail = r.flush();
  if (tail.length === 0) return head;
  const out = new Float32Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}
