/** Levenshtein distance between two strings (insertions, deletions and substitutions cost 1). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The candidate nearest to `input`, or undefined when nothing is close enough to be a plausible typo
 * (at most a third of the longer word, and never more than 3 edits).
 */
export function nearest(input: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(input.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.min(3, Math.max(1, Math.ceil(Math.max(input.length, best.length) / 3)));
  return bestDistance <= limit ? best : undefined;
}

/** ` Did you mean "x"?` when a near candidate exists, otherwise the empty string. */
export function didYouMean(input: string, candidates: readonly string[], prefix = ''): string {
  const match = nearest(input, candidates);
  return match === undefined ? '' : ` Did you mean "${prefix}${match}"?`;
}
