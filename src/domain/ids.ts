/**
 * Ids and random numbers. `globalThis.crypto` exists in browsers, workers and Node 20.
 * `crypto.randomUUID` exists only in secure contexts (HTTPS, localhost), so fall back to
 * building a version-4 UUID from `getRandomValues`, which exists everywhere.
 */
export function newId(): string {
  if (typeof globalThis.crypto?.randomUUID === "function") return globalThis.crypto.randomUUID();
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40; // RFC 9562, version 4
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 9562, variant 10
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A random integer in [0, 2^31), used as a clock tie-breaker. */
export function randomNonce(): number {
  const buffer = new Uint32Array(1);
  globalThis.crypto.getRandomValues(buffer);
  return buffer[0]! >>> 1;
}

/** Deterministic PRNG (mulberry32) for tests, fuzzing and benchmarks. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
