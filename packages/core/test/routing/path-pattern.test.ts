import { compilePath, joinPaths, normalizePath, RouteDefinitionError } from '@serv/core';

const where = '@Route() on ItemRoute';

function compileError(path: string): RouteDefinitionError {
  try {
    compilePath(path, where);
  } catch (err) {
    return err as RouteDefinitionError;
  }
  throw new Error(`compilePath(${JSON.stringify(path)}) did not throw`);
}

describe('normalizePath', () => {
  it.each([
    ['', '/'],
    ['/', '/'],
    ['//', '/'],
    ['users', '/users'],
    ['/users/', '/users'],
    ['users//', '/users'],
    ['//users/1//', '/users/1'],
    ['/a//b', '/a//b'],
  ])('turns %j into %j', (input, expected) => {
    expect(normalizePath(input)).toBe(expected);
  });
});

describe('joinPaths', () => {
  it.each([
    ['/', '/', '/'],
    ['/', '/users', '/users'],
    ['/api', '/', '/api'],
    ['/api/', 'users/', '/api/users'],
    ['api', '/v{version:int}/items', '/api/v{version:int}/items'],
  ])('joins %j and %j into %j', (prefix, path, expected) => {
    expect(joinPaths(prefix, path)).toBe(expected);
  });
});

describe('compilePath', () => {
  it('matches a static path exactly, with no params', () => {
    const p = compilePath('/users/', where);
    expect(p).toMatchObject({ path: '/users', names: [], isStatic: true });
    expect(p.match('/users')).toEqual({});
    expect(p.match('/users/1')).toBeNull();
  });

  it('matches {name} within one segment as a string', () => {
    const p = compilePath('/users/{name}', where);
    expect(p.isStatic).toBe(false);
    expect(p.names).toEqual(['name']);
    expect(p.match('/users/ada')).toEqual({ name: 'ada' });
    expect(p.match('/users/ada/posts')).toBeNull();
    expect(p.match('/users')).toBeNull();
  });

  it('treats {name:str} like {name}', () => {
    expect(compilePath('/u/{name:str}', where).match('/u/42')).toEqual({ name: '42' });
  });

  it('matches {id:int} on digits only and returns a number', () => {
    const p = compilePath('/users/{id:int}', where);
    expect(p.match('/users/007')).toEqual({ id: 7 });
    expect(p.match('/users/-1')).toBeNull();
    expect(p.match('/users/1.5')).toBeNull();
    expect(p.match('/users/abc')).toBeNull();
    expect(p.match('/users/9007199254740993')).toEqual({ id: Number('9007199254740993') });
    expect(p.match('/users/123456789012345678901')).toEqual({ id: Number('123456789012345678901') });
  });

  it('matches {rest:path} across segments, also in the middle of a path', () => {
    expect(compilePath('/files/{rest:path}', where).match('/files/a/b/c.txt')).toEqual({ rest: 'a/b/c.txt' });
    expect(compilePath('/files/{rest:path}/raw', where).match('/files/a/b/raw')).toEqual({ rest: 'a/b' });
    expect(compilePath('/files/{rest:path}', where).match('/files')).toBeNull();
    expect(compilePath('/files/{rest:path}', where).match('/files/a\nb')).toBeNull();
  });

  it('matches parameters inside a segment', () => {
    const p = compilePath('/api/v{version:int}/{file}.{ext}', where);
    expect(p.names).toEqual(['version', 'file', 'ext']);
    expect(p.match('/api/v2/report.pdf')).toEqual({ version: 2, file: 'report', ext: 'pdf' });
    expect(p.match('/api/vx/report.pdf')).toBeNull();
  });

  it('percent-decodes parameter values and refuses malformed escapes', () => {
    const p = compilePath('/users/{name}', where);
    expect(p.match('/users/ada%20lovelace')).toEqual({ name: 'ada lovelace' });
    expect(p.match('/users/%E0%A4%A')).toBeNull();
  });

  it('escapes regular-expression characters in literal parts', () => {
    const p = compilePath('/a.b/{x}', where);
    expect(p.match('/a.b/1')).toEqual({ x: '1' });
    expect(p.match('/aXb/1')).toBeNull();
  });

  it.each([
    ['/users/{1id}', '@Route() on ItemRoute: path "/users/{1id}" has a bad parameter "{1id}" (names look like {room_id})'],
    ['/users/{}', '@Route() on ItemRoute: path "/users/{}" has a bad parameter "{}" (names look like {room_id})'],
    ['/users/{user-id}', '@Route() on ItemRoute: path "/users/{user-id}" has a bad parameter "{user-id}" (names look like {room_id})'],
    [
      '/users/{id:float}',
      '@Route() on ItemRoute: path "/users/{id:float}" has an unknown parameter type "float" in "{id:float}" (use {name}, {name:int} or {name:path})',
    ],
    ['/a/{id}/b/{id:int}', '@Route() on ItemRoute: path "/a/{id}/b/{id:int}" names the parameter "id" twice'],
    ['/rooms/{room_id', '@Route() on ItemRoute: path "/rooms/{room_id" has an unbalanced "{" or "}"'],
    ['/rooms/room_id}', '@Route() on ItemRoute: path "/rooms/room_id}" has an unbalanced "{" or "}"'],
    ['/rooms/{a{b}}', '@Route() on ItemRoute: path "/rooms/{a{b}}" has an unbalanced "{" or "}"'],
  ])('rejects %j naming the declaration and the bad part', (path, message) => {
    const err = compileError(path);
    expect(err).toBeInstanceOf(RouteDefinitionError);
    expect(err.code).toBe('SERV_ROUTE_DEFINITION');
    expect(err.message).toBe(message);
  });

  it('rejects a path that is not a string', () => {
    expect(compileError(42 as unknown as string).message).toBe('@Route() on ItemRoute: path must be a string, got number');
  });
});
