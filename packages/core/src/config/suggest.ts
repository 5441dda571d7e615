/**
 * The allowed name closest to a mistyped one, or undefined when nothing is close enough to be a plausible typo.
 *
 * A spelling in another case style (`extensionDir`, `Extension-Dir`) maps to its snake_case twin first, because
 * people coming from the TypeScript side type camelCase into YAML.
 */
export function nearestName(name: string, allowed: readonly string[]): string | undefined {
  const squashed = squash(name);
  const sameLetters = allowed.find((candidate) => squash(candidate) === squashed);
  if (sameLetters !== undefined) return sameLetters;
  // Allow roughly one slip per three characters, but always at least two (a swap or a missing letter plus one more).
  const budget = Math.max(2, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of allowed) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance <= budget && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours each cost 1. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, d[i - 2][j - 2] + 1);
      d[i][j] = value;
    }
  }
  return d[rows - 1][cols - 1];
}

// Lower-case and drop separators so `extensionDir`, `extension-dir` and `extension_dir` compare equal.
function squash(name: string): string {
  return name.toLowerCase().replace(/[-_\s]/g, '');
}
