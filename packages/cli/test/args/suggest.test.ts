import { didYouMean, editDistance, nearest } from '../../src/args/suggest';

describe('suggest', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('lanch', 'launch')).toBe(1);
    expect(editDistance('routse', 'routes')).toBe(2);
    expect(editDistance('', 'ws')).toBe(2);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('picks the closest candidate within a plausible typo distance', () => {
    expect(nearest('lanch', ['launch', 'routes', 'ws'])).toBe('launch');
    expect(nearest('extention', ['extension', 'create'])).toBe('extension');
    expect(nearest('xyzzy', ['launch', 'routes'])).toBeUndefined();
  });

  it('phrases the hint with the flag prefix', () => {
    expect(didYouMean('prot', ['port', 'host'], '--')).toBe(' Did you mean "--port"?');
    expect(didYouMean('zzz', ['port'])).toBe('');
  });
});
