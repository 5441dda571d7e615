'use strict';
/**
 * Repeated, interleaved measurement: every server is measured once per round, the order flipping each round
 * (A B, B A, A B …), so a burst of outside load hits the servers alike; a row then reports its median round and the
 * spread of all rounds, which makes the noise of a run visible next to its figures.
 */

/**
 * Runs `runOne(id, round)` for every id, `rounds` times, flipping the order each round. An id whose run throws is
 * not run again; returns `{ [id]: { results: [...], error?: Error } }`.
 */
async function interleave(ids, rounds, runOne) {
  const out = Object.fromEntries(ids.map((id) => [id, { results: [] }]));
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 === 0 ? ids : [...ids].reverse();
    for (const id of order) {
      if (out[id].error) continue;
      try {
        out[id].results.push(await runOne(id, round));
      } catch (error) {
        out[id].error = error;
      }
    }
  }
  return out;
}

/** The result whose `figure` is the median of all rounds (the lower middle one for an even count). */
function medianResult(results, figure) {
  const sorted = [...results].sort((a, b) => a[figure] - b[figure]);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** (max − min) ÷ median of `figure` over the rounds: 0 for one round. */
function spread(results, figure) {
  if (results.length < 2) return 0;
  const values = results.map((r) => r[figure]).sort((a, b) => a - b);
  const median = medianResult(results, figure)[figure];
  return median > 0 ? (values[values.length - 1] - values[0]) / median : null;
}

/** Formats a spread as `±x %` (half the relative range). */
function formatSpread(value, rounds) {
  if (rounds < 2) return '1 round';
  return value === null ? '—' : `±${((value / 2) * 100).toFixed(0)} %`;
}

module.exports = { interleave, medianResult, spread, formatSpread };
