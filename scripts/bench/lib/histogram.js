'use strict';
/**
 * Latency histogram with log-spaced buckets (1 % resolution, 1 µs .. ~2.5 h) so that recording costs O(1)
 * and memory stays fixed however many samples a run produces.
 */

const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
const BUCKETS = 2400;

/** A fixed-size log histogram of latencies recorded in milliseconds. */
class LatencyHistogram {
  constructor() {
    this.counts = new Float64Array(BUCKETS);
    this.total = 0;
    this.max = 0;
  }

  /** Records one latency in milliseconds. */
  record(ms) {
    const us = ms * 1000;
    let index = us < 1 ? 0 : Math.floor(Math.log(us) / LOG_GROWTH) + 1;
    if (index >= BUCKETS) index = BUCKETS - 1;
    this.counts[index] += 1;
    this.total += 1;
    if (ms > this.max) this.max = ms;
  }

  /** Forgets every sample (used when the warm-up phase ends). */
  reset() {
    this.counts.fill(0);
    this.total = 0;
    this.max = 0;
  }

  /** The latency in milliseconds below which `p` percent of samples fall, or null when empty. */
  percentile(p) {
    if (this.total === 0) return null;
    const rank = Math.max(1, Math.ceil((p / 100) * this.total));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i += 1) {
      seen += this.counts[i];
      if (seen >= rank) {
        if (i === 0) return 0.001;
        // Geometric middle of the bucket [GROWTH^(i-1), GROWTH^i) µs, capped by the true maximum.
        const us = Math.pow(GROWTH, i - 0.5);
        return Math.min(us / 1000, this.max);
      }
    }
    return this.max;
  }
}

module.exports = { LatencyHistogram };
