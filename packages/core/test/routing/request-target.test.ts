import { compilePath, parseRequestTarget } from '@serv/core';

describe('parseRequestTarget', () => {
  it('splits the path (normalised, still encoded) from the raw query', () => {
    expect(parseRequestTarget('/files/a%20b.txt/?x=1&y=%2F')).toEqual({ path: '/files/a%20b.txt', queryString: 'x=1&y=%2F' });
    expect(parseRequestTarget('/')).toEqual({ path: '/', queryString: '' });
    expect(parseRequestTarget('/a/.hidden/...x/b..')).toEqual({ path: '/a/.hidden/...x/b..', queryString: '' });
  });

  it.each(['/a/../b', '/..', '/a/./b', '/a/.', '/a/%2e%2e/b', '/a/%2E%2E', '/a/.%2e/b', '/a/%2e./b', '/a/%2e/b', '/../etc/passwd'])(
    'refuses the dot segment in %s',
    (url) => {
      expect(parseRequestTarget(url)).toEqual({ error: `Request path ${JSON.stringify(url)} contains a "." or ".." segment` });
    },
  );

  it.each(['/a%00b', '/a/%00', '/a?x=%00', '/a\0b'])('refuses the NUL in %j', (url) => {
    expect(parseRequestTarget(url)).toEqual({ error: 'Request target contains a NUL byte' });
  });
});

describe('path parameters are decoded after matching', () => {
  const one = compilePath('/one/{name}', 'test');
  const rest = compilePath('/file/{p:path}', 'test');

  it('decodes a one-segment parameter once matched on the raw segment', () => {
    expect(one.match('/one/a%20b')).toEqual({ name: 'a b' });
    expect(one.match('/one/%E6%8A%A5')).toEqual({ name: '报' });
  });

  it.each(['/one/..%2f..%2fetc%2fpasswd', '/one/a%2Fb', '/one/%2e%2e', '/one/..', '/one/a%00', '/one/%zz'])(
    'does not match %s on {name} (a slash, dot segment, NUL or bad encoding after decoding)',
    (path) => {
      expect(one.match(path)).toBeNull();
    },
  );

  it('gives {name:path} the rest of the path, decoded', () => {
    expect(rest.match('/file/css/site%20v1.css')).toEqual({ p: 'css/site v1.css' });
    expect(rest.match('/file/a%2Fb')).toEqual({ p: 'a/b' });
  });

  it.each(['/file/..%2f..%2fetc%2fpasswd', '/file/%2e%2e%2fetc', '/file/a/..%2F..%2Fb', '/file/..%5c..%5cwin.ini', '/file/a/%2e'])(
    'does not match %s on {name:path} (a dot segment once decoded)',
    (path) => {
      expect(rest.match(path)).toBeNull();
    },
  );

  it('hands out params without a prototype, so client-chosen names never reach Object.prototype', () => {
    const params = compilePath('/x/{constructor}', 'test').match('/x/1') as Record<string, unknown>;
    expect(Object.getPrototypeOf(params)).toBeNull();
    expect(params.constructor).toBe('1');
    expect(Object.getPrototypeOf(one.match('/one/a'))).toBeNull();
  });
});
