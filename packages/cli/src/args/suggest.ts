import { nearestName } from '@serv/core';

/**
 * ` Did you mean "x"?` when a candidate is close to `input` (the same "did you mean" rule as config keys, from
 * @serv/core), otherwise the empty string.
 */
export function didYouMean(input: string, candidates: readonly string[], prefix = ''): string {
  const match = nearestName(input, candidates);
  return match === undefined ? '' : ` Did you mean "${prefix}${match}"?`;
}
