import * as path from 'node:path';
import { ServError } from '../../src/errors/serv-error';
import {
  checkServPath, ConfigError, describeValue, displayPath, expectInt, expectKnownKeys, expectOneOf, keyAt, itemAt,
  normaliseMount, rootAt,
} from '../../src/config';
import { editDistance, nearestName } from '../../src/config/suggest';
import { configErrorFrom } from './helpers';

const at = rootAt('serv.config.yaml', 'settings');

describe('ConfigError', () => {
  it('is a ServError with a stable code and the file shown relative to the working folder', () => {
    const error = ConfigError.invalid(path.resolve('a/b.yaml'), 'x', 'be a list', 5);
    expect(error).toBeInstanceOf(ServError);
    expect(error.name).toBe('ConfigError');
    expect(error.code).toBe('SERV_CONFIG_INVALID');
    expect(error.file).toBe(path.join('a', 'b.yaml'));
    expect(error.message).toBe(`${path.join('a', 'b.yaml')}: x must be a list, got 5`);
  });

  it('shows a file outside the working folder by its absolute path when that is shorter', () => {
    expect(displayPath('/x.yaml')).toBe('/x.yaml');
  });

  it.each<[unknown, string]>([
    [undefined, 'nothing'],
    [null, 'null'],
    ['main', '"main"'],
    ['say "hi"', '"say \\"hi\\""'],
    [8.5, '8.5'],
    [false, 'false'],
    [[], 'an empty list'],
    [[1], 'a list'],
    [{}, 'an empty mapping'],
    [{ a: 1 }, 'a mapping'],
    ['x'.repeat(80), `"${'x'.repeat(57)}..."`],
  ])('describes %p as %s', (value, text) => {
    expect(describeValue(value)).toBe(text);
  });
});

describe('validation toolkit', () => {
  it('builds key paths for mappings and lists', () => {
    expect(keyAt(itemAt(keyAt(rootAt('f.yaml'), 'routers'), 0), 'routes').keyPath).toBe('routers[0].routes');
  });

  it('phrases integer ranges for messages', () => {
    expect(configErrorFrom(() => expectInt(3, at, 5, 10)).message).toBe('serv.config.yaml: settings must be an integer from 5 to 10, got 3');
    expect(configErrorFrom(() => expectInt(3, at, 5)).message).toBe('serv.config.yaml: settings must be an integer of 5 or more, got 3');
    // Integers past 2^53 lose precision, so they are refused rather than silently rounded.
    expect(configErrorFrom(() => expectInt(2 ** 60, at, 1)).message).toBe(
      'serv.config.yaml: settings must be a positive integer, got 1152921504606847000',
    );
  });

  it('lists choices with "or"', () => {
    expect(configErrorFrom(() => expectOneOf('x', at, ['a', 'b', 'c'])).message).toBe(
      'serv.config.yaml: settings must be "a", "b" or "c", got "x"',
    );
  });

  it('points renamed keys at their new name', () => {
    const error = configErrorFrom(() => expectKnownKeys({ entry: 'm:X' }, rootAt('extension.yaml'), ['listeners'], { entry: 'listeners' }));
    expect(error.message).toBe('extension.yaml: entry is not a known key (did you mean "listeners"?); allowed keys: listeners');
    expect(error.found).toBe('"entry"');
  });
});

describe('key suggestions', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('prot', 'port')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests the nearest key, another case style of a key, or nothing when nothing is close', () => {
    expect(nearestName('prot', ['host', 'port'])).toBe('port');
    expect(nearestName('maxMessageBytes', ['max_message_bytes', 'max_body_bytes'])).toBe('max_message_bytes');
    expect(nearestName('colour', ['host', 'port'])).toBeUndefined();
  });
});

describe('Serv path checks', () => {
  const pathAt = rootAt('extension.yaml', 'routers[0].routes[0].path');

  it('accepts plain, typed and untyped parameters', () => {
    expect(checkServPath('/', pathAt)).toBe('/');
    expect(checkServPath('/a/{id:int}/{name:str}/{rest:path}', pathAt)).toBe('/a/{id:int}/{name:str}/{rest:path}');
  });

  it('rejects a parameter with two types', () => {
    expect(configErrorFrom(() => checkServPath('/a/{id:int:str}', pathAt)).message).toBe(
      'extension.yaml: routers[0].routes[0].path must use a parameter type of int, path or str (or none) in "{id:int:str}", got "/a/{id:int:str}"',
    );
  });

  it.each([
    ['', ''], ['/', ''], ['api', '/api'], ['/api/', '/api'], ['//api//v1//', '/api/v1'], [' /ws ', '/ws'],
  ])('normalises the mount %p to %p', (mount, expected) => {
    expect(normaliseMount(mount, rootAt('extension.yaml', 'routers[0].mount'))).toBe(expected);
  });
});
