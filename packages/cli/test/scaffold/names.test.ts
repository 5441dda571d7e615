import { nameForms, normaliseRoutePath } from '../../src/scaffold/names';
import { UsageError } from '../../src/args/usage-error';
import { parseConfigValue } from '../../src/config/config-value';

describe('nameForms', () => {
  it.each([
    ['Chat Room', 'chat_room', 'ChatRoom', 'chatRoom'],
    ['chat-room', 'chat_room', 'ChatRoom', 'chatRoom'],
    ['chatRoom', 'chat_room', 'ChatRoom', 'chatRoom'],
    ['echo', 'echo', 'Echo', 'echo'],
    ['HTTP2 api', 'http2_api', 'Http2Api', 'http2Api'],
  ])('spells %s as %s, %s and %s', (raw, snake, pascal, camel) => {
    expect(nameForms(raw, 'serv create route')).toMatchObject({ snake, pascal, camel });
  });

  it('rejects names that do not start with a letter', () => {
    expect(() => nameForms('1st', 'serv create route')).toThrow(new UsageError('--name must start with a letter and contain letters or digits, got "1st".'));
    expect(() => nameForms('  ', 'serv create route')).toThrow(UsageError);
  });

  it('gives a route path exactly one leading slash', () => {
    expect(normaliseRoutePath('hello')).toBe('/hello');
    expect(normaliseRoutePath('//ws/chat')).toBe('/ws/chat');
  });
});

describe('parseConfigValue', () => {
  it('infers numbers and booleans without --type', () => {
    expect(parseConfigValue('9000', undefined)).toBe(9000);
    expect(parseConfigValue('0.5', undefined)).toBe(0.5);
    expect(parseConfigValue('true', undefined)).toBe(true);
    expect(parseConfigValue('My Site', undefined)).toBe('My Site');
  });

  it('converts by --type', () => {
    expect(parseConfigValue('9000', 'string')).toBe('9000');
    expect(parseConfigValue('42', 'int')).toBe(42);
    expect(parseConfigValue('1.5', 'float')).toBe(1.5);
    expect(parseConfigValue('on', 'bool')).toBe(true);
    expect(parseConfigValue('no', 'bool')).toBe(false);
    expect(parseConfigValue('a, b,,c', 'list')).toEqual(['a', 'b', 'c']);
  });

  it('rejects values that do not fit the type', () => {
    expect(() => parseConfigValue('4.2', 'int')).toThrow('VALUE must be an integer for --type int, got "4.2".');
    expect(() => parseConfigValue('maybe', 'bool')).toThrow('VALUE must be one of true, yes, 1, on, false, no, 0, off for --type bool, got "maybe".');
  });
});
