import { didYouMean } from '../../src/args/suggest';

describe('suggest', () => {
  it('picks the closest candidate within a plausible typo distance', () => {
    expect(didYouMean('lanch', ['launch', 'routes', 'ws'])).toBe(' Did you mean "launch"?');
    expect(didYouMean('extention', ['extension', 'create'])).toBe(' Did you mean "extension"?');
    expect(didYouMean('xyzzy', ['launch', 'routes'])).toBe('');
  });

  it('phrases the hint with the flag prefix', () => {
    expect(didYouMean('prot', ['port', 'host'], '--')).toBe(' Did you mean "--port"?');
    expect(didYouMean('zzz', ['port'])).toBe('');
  });
});
