/**
 * A token bucket per key (a token, or an address): `perMinute` requests a minute on average,
 * bursts up to the same number. In memory, per server instance: behind a load balancer each
 * instance limits on its own (docs/sync.md).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedMs: number }>();
  private readonly perMs: number;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.perMs = perMinute / 60_000;
  }

  /** Take one request for `key`: 0 when allowed, else the milliseconds to wait. */
  take(key: string): number {
    if (this.perMinute <= 0) return 0; // 0: no limit.
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size > 100_000) this.sweep(now);
      bucket = { tokens: this.perMinute, updatedMs: now };
      this.buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.updatedMs) * this.perMs);
    bucket.updatedMs = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.perMs);
  }

  /** Forget full buckets, so memory stays bounded under many addresses. */
  private sweep(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.updatedMs) * this.perMs >= this.perMinute) {
        this.buckets.delete(key);
      }
    }
  }
}
