/**
 * Deterministic randomness and identifier shapes for the demo generator. Nothing here reads the
 * clock or Math.random: every value follows from a seed string, so the same seed gives the same
 * bytes.
 */
import { createHash } from 'node:crypto';

/** 128-bit string hash (cyrb128), used to seed generators from readable keys. */
function cyrb128(str: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

const HEX = '0123456789abcdef';
/** The alphabet of AWS unique ids and access key ids (RFC 4648 base32). */
export const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Small fast PRNG (sfc32) seeded from a string. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: string) {
    [this.a, this.b, this.c, this.d] = cyrb128(seed);
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** Uniform 32-bit unsigned integer. */
  u32(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    const v = items[Math.floor(this.next() * items.length)];
    if (v === undefined) throw new Error('pick from an empty list');
    return v;
  }

  /** One element chosen by weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.next() * total;
    for (const [v, w] of items) {
      r -= w;
      if (r < 0) return v;
    }
    const last = items[items.length - 1];
    if (last === undefined) throw new Error('weighted pick from an empty list');
    return last[0];
  }

  /** Stochastic rounding: floor(x), plus one with probability frac(x); keeps sums unbiased. */
  round(x: number): number {
    const f = Math.floor(x);
    return f + (this.next() < x - f ? 1 : 0);
  }

  /** Random string over an alphabet. */
  chars(n: number, alphabet: string): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[this.u32() % alphabet.length];
    return s;
  }

  /** Lower-case hex string. */
  hex(n: number): string {
    return this.chars(n, HEX);
  }

  /** UUID v4-shaped string (CloudTrail eventID / requestID). */
  uuid(): string {
    const h = this.hex(32);
    const variant = HEX[8 + (this.u32() % 4)] ?? '8';
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** Mixed-case alphanumeric string (CloudTrail file name suffix). */
  alnum(n: number): string {
    return this.chars(n, ALNUM);
  }

  /** Upper-case alphanumeric string (S3 request ids). */
  upper(n: number): string {
    return this.chars(n, UPPER_ALNUM);
  }
}

/** Bytes of sha1(label), as a stable source of id characters independent of the seed. */
function digest(label: string): Buffer {
  return createHash('sha1').update(label).digest();
}

/** `n` base32 characters derived from a label (stable across seeds and runs). */
export function stableB32(label: string, n: number): string {
  let out = '';
  let counter = 0;
  while (out.length < n) {
    const d = digest(`${label}#${counter++}`);
    for (const byte of d) {
      if (out.length >= n) break;
      out += B32[byte % 32];
    }
  }
  return out;
}

/** Stable hex derived from a label. */
export function stableHex(label: string, n: number): string {
  let out = '';
  let counter = 0;
  while (out.length < n) out += digest(`${label}#${counter++}`).toString('hex');
  return out.slice(0, n);
}

/**
 * An IAM unique id (AIDA user, AROA role, AGPA group, ANPA policy, AIPA instance profile):
 * prefix + 17 base32 characters, stable for a label.
 */
export function uniqueId(prefix: 'AIDA' | 'AROA' | 'AGPA' | 'ANPA' | 'AIPA', label: string): string {
  return prefix + stableB32(`${prefix}:${label}`, 17);
}

/**
 * A long-term access key id: `AKIA` + 16 base32 characters with a readable tag inside (e.g.
 * `AKIAQ7JANE…`), so planted keys are easy to spot in evidence. Tags use base32 letters only.
 */
export function accessKeyId(tag: string): string {
  const t = tag.toUpperCase();
  if (!/^[A-Z2-7]{1,10}$/.test(t)) throw new Error(`access key tag must be 1-10 base32 characters: ${tag}`);
  const fill = stableB32(`AKIA:${t}`, 16);
  return `AKIA${fill.slice(0, 2)}${t}${fill.slice(2, 16 - t.length)}`;
}

/** A temporary (STS) access key id: `ASIA` + 16 base32 characters, stable for a session label. */
export function sessionKeyId(label: string): string {
  return `ASIA${stableB32(`ASIA:${label}`, 16)}`;
}
