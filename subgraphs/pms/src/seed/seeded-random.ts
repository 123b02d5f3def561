// A small, fast, seedable pseudo-random generator for the synthetic revenue cycle: sfc32 (Chris
// Doty-Humphrey's Small Fast Counter, PractRand-tested), its state drawn from splitmix32 over the
// seed and a stream tag. One generator per concern (scheduling, documentation, adjudication...)
// keeps each concern's draws apart, so a change to one leaves the others' values as they were.
// Not for secrets: the seed's values are meant to be reproducible.

/** Two hexadecimal digits per byte value. */
const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** splitmix32's output function: a well-mixed 32-bit value from a 32-bit input. */
function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** A weighted choice: `[weight, value]`. */
export type Weighted<T> = readonly [weight: number, value: T];

export class SeededRandom {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  /** A stream for a whole-number seed (any sign or size up to 2^53) and a tag naming the concern. */
  constructor(seed: number, stream: number) {
    const low = seed >>> 0;
    const high = Math.floor(seed / 2 ** 32) >>> 0;
    let state = mix32(low ^ mix32(high ^ mix32(stream >>> 0)));
    const draw = () => {
      state = (state + 0x6d2b79f5) >>> 0;
      return mix32(state);
    };
    this.#a = draw();
    this.#b = draw();
    this.#c = draw();
    this.#d = draw();
    for (let i = 0; i < 12; i += 1) this.uint32();
  }

  /** The next 32 random bits. */
  uint32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** A number in [0, 1). */
  next(): number {
    return this.uint32() / 4_294_967_296;
  }

  /** A whole number from `min` to `max`, both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError('Cannot pick from an empty list');
    return item;
  }

  weighted<T>(choices: ReadonlyArray<Weighted<T>>): T {
    const total = choices.reduce((sum, [weight]) => sum + weight, 0);
    let at = this.next() * total;
    for (const [weight, value] of choices) {
      at -= weight;
      if (at < 0) return value;
    }
    const last = choices.at(-1);
    if (last === undefined) throw new RangeError('Cannot choose from an empty list');
    return last[1];
  }

  /** A version 4 UUID (RFC 9562 layout) in lower case. */
  uuid(): string {
    const a = this.uint32();
    // Version 4 in the 13th digit, variant 10xx in the 17th.
    const b = (this.uint32() & 0xffff0fff) | 0x4000;
    const c = ((this.uint32() & 0x3fffffff) | 0x80000000) >>> 0;
    const d = this.uint32();
    return (
      `${HEX[a >>> 24]}${HEX[(a >>> 16) & 255]}${HEX[(a >>> 8) & 255]}${HEX[a & 255]}-${HEX[(b >>> 24) & 255]}${HEX[(b >>> 16) & 255]}-` +
      `${HEX[(b >>> 8) & 255]}${HEX[b & 255]}-${HEX[c >>> 24]}${HEX[(c >>> 16) & 255]}-${HEX[(c >>> 8) & 255]}${HEX[c & 255]}` +
      `${HEX[d >>> 24]}${HEX[(d >>> 16) & 255]}${HEX[(d >>> 8) & 255]}${HEX[d & 255]}`
    );
  }

  /** `length` characters from A-Z and 0-9. */
  alphanumeric(length: number): string {
    let out = '';
    for (let i = 0; i < length; i += 1) out += ALPHANUMERIC[Math.floor(this.next() * ALPHANUMERIC.length)];
    return out;
  }

  /** `length` decimal digits. */
  digits(length: number): string {
    let out = '';
    for (let i = 0; i < length; i += 1) out += String(Math.floor(this.next() * 10));
    return out;
  }
}
