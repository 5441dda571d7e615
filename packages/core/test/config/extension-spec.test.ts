import * as path from 'node:path';
// The WebSocket route keys (websocket: true, frame_type, limits) belong to @serv/websocket; importing it installs them.
import '@serv/websocket';
import { parseExtensionSpec, readExtensionSpec, type ExtensionSpec, type RouteSpec } from '../../src/config';
import { configErrorFrom, fixturePath, fixtureText } from './helpers';

const FILE = 'extension.yaml';
const ROUTE_KEYS_TEXT =
  'path, handler, methods, websocket, config, guards, frame_type, origins, max_message_bytes, rate_limit_messages, ' +
  'rate_limit_interval_ms, heartbeat_interval_ms, heartbeat_timeout_ms, send_high_water_bytes, max_buffered_bytes, ' +
  'send_timeout_ms, message_timeout_ms';
const TOP_KEYS_TEXT = 'name, version, description, author, discover, settings, listeners, middleware, routers';

/** Parses an extension-spec fixture as if it were ./extension.yaml of an extension in /ext. */
function parseFixture(name: string): ExtensionSpec {
  return parseExtensionSpec(fixtureText('extension-spec', `${name}.yaml`), FILE, '/ext');
}

/** The ImportRef the parser builds for `module:exportName` at `keyPath` of ./extension.yaml. */
function ref(module: string, exportName: string, keyPath: string) {
  return { module, exportName, keyPath, file: path.resolve(FILE) };
}

describe('readExtensionSpec', () => {
  const demoDir = fixturePath('extensions', 'websocket_chat');

  it('reads the demo extension.yaml with both routes', () => {
    const spec = readExtensionSpec(demoDir);
    const file = path.join(demoDir, 'extension.yaml');
    expect(spec).toEqual<ExtensionSpec>({
      file,
      dir: demoDir,
      name: 'WebSocket Chat',
      description: 'A simple WebSocket echo chat demonstration',
      version: '1.0.0',
      author: 'Serv Demo',
      settings: {},
      discover: true,
      listeners: [],
      middleware: [],
      routers: [{
        name: 'chat_router',
        mount: '',
        config: {},
        keyPath: 'routers[0]',
        routes: [
          {
            path: '/',
            handler: { module: 'main', exportName: 'ChatPageRoute', keyPath: 'routers[0].routes[0].handler', file },
            options: {},
            optionKeys: [],
            config: {},
            keyPath: 'routers[0].routes[0]',
          },
          {
            path: '/ws',
            handler: { module: 'main', exportName: 'echoWebsocketHandler', keyPath: 'routers[0].routes[1].handler', file },
            kind: 'websocket',
            kindKey: 'websocket',
            options: {},
            optionKeys: [],
            config: {},
            keyPath: 'routers[0].routes[1]',
          },
        ],
        statics: [],
      }],
    });
  });

  it('reports a folder without extension.yaml as not found, with what to do', () => {
    const file = fixturePath('extensions', 'without_spec', 'extension.yaml');
    const error = configErrorFrom(() => readExtensionSpec(fixturePath('extensions', 'without_spec')));
    expect(error.code).toBe('SERV_CONFIG_NOT_FOUND');
    expect(error.message).toBe(
      `${path.relative(process.cwd(), file)}: not found (every extension folder needs an extension.yaml with at least ` +
        '"name" and "version"; "serv create extension" writes one)',
    );
  });

  it('reports a missing extension folder the same way', () => {
    const error = configErrorFrom(() => readExtensionSpec(fixturePath('extensions', 'no_such_extension')));
    expect(error.code).toBe('SERV_CONFIG_NOT_FOUND');
    expect(error.file).toBe(path.relative(process.cwd(), fixturePath('extensions', 'no_such_extension', 'extension.yaml')));
  });
});

describe('parseExtensionSpec with every key', () => {
  const spec = parseFixture('full');
  const [api, live, plain] = spec.routers;

  it('keeps a YAML-float version as written', () => {
    expect(spec.version).toBe('1.0');
  });

  it('reads the metadata, settings, listeners and middleware (with a dotted export)', () => {
    expect(spec.file).toBe(path.resolve(FILE));
    expect(spec.dir).toBe('/ext');
    expect(spec.name).toBe('Full Extension');
    expect(spec.description).toBe('Shows every key');
    expect(spec.author).toBe('Serv Team');
    expect(spec.settings).toEqual({ greeting: 'hello', limits: { per_room: 10 } });
    expect(spec.listeners).toEqual([ref('listeners', 'StartupListener', 'listeners[0]')]);
    expect(spec.middleware).toEqual([
      ref('middleware/timing', 'timingMiddleware', 'middleware[0]'),
      ref('middleware/auth', 'Auth.Middleware', 'middleware[1]'),
    ]);
  });

  it('normalises mounts to a leading "/" and no trailing "/", with "/" meaning no mount', () => {
    expect(spec.routers.map((router) => [router.name, router.mount])).toEqual([
      ['api_router', '/api/v1'],
      ['live_router', ''],
      ['plain_router', '/admin'],
    ]);
    expect(plain.routes).toEqual([]);
  });

  it('upper-cases and de-duplicates methods and keeps route and router config', () => {
    expect(api.config).toEqual({ theme: 'dark' });
    expect(api.routes[0]).toEqual<RouteSpec>({
      path: '/items/{item_id:int}',
      handler: ref('routes/items', 'ItemRoute', 'routers[0].routes[0].handler'),
      methods: ['GET', 'POST'],
      kind: 'http',
      kindKey: 'methods',
      options: {},
      optionKeys: [],
      config: { page_size: 20 },
      keyPath: 'routers[0].routes[0]',
    });
  });

  it('leaves path undefined when the route takes it from the handler decorator', () => {
    expect(api.routes[1]).toEqual<RouteSpec>({
      handler: ref('routes/decorated', 'PathFromDecorator', 'routers[0].routes[1].handler'),
      options: {},
      optionKeys: [],
      config: {},
      keyPath: 'routers[0].routes[1]',
    });
  });

  it('reads the frame type and every limit override of a websocket route', () => {
    expect(live.routes[0]).toEqual<RouteSpec>({
      path: '/rooms/{room_id}/{rest:path}',
      handler: ref('live', 'RoomHandler', 'routers[1].routes[0].handler'),
      kind: 'websocket',
      kindKey: 'websocket',
      options: {
        frameType: 'binary',
        maxMessageBytes: 65536,
        rateLimitMessages: 0,
        rateLimitIntervalMs: 500,
        heartbeatIntervalMs: 0,
        heartbeatTimeoutMs: 2000,
        origins: ['https://example.com'],
      },
      optionKeys: expect.arrayContaining(['frame_type', 'max_message_bytes', 'origins']),
      config: {},
      keyPath: 'routers[1].routes[0]',
    });
    expect(live.routes[1].kind).toBe('websocket');
    expect(live.routes[1].options).toEqual({});
  });
});

describe('parseExtensionSpec with invalid files', () => {
  it('names the route by index: a handler without a colon in the second route', () => {
    const error = configErrorFrom(() => parseFixture('handler-without-colon'));
    expect(error.message).toBe('extension.yaml: routers[0].routes[1].handler must look like "module:Export", got "main"');
    expect(error.code).toBe('SERV_CONFIG_INVALID');
    expect(error.file).toBe('extension.yaml');
    expect(error.keyPath).toBe('routers[0].routes[1].handler');
    expect(error.expected).toBe('look like "module:Export"');
    expect(error.found).toBe('"main"');
  });

  it('reports a YAML syntax error with its line and column', () => {
    const error = configErrorFrom(() => parseFixture('bad-yaml-syntax'));
    expect(error.code).toBe('SERV_CONFIG_YAML');
    expect(error.message).toBe(
      'extension.yaml: invalid YAML at line 6, column 1: unexpected end of the stream within a flow collection\n' +
        '4 |   - name: r\n5 |     routes: [\n6 | \n  | ^',
    );
  });

  it.each([
    ['top-level-list', '', 'the top level must be a mapping, got a list'],
    ['empty', 'name', 'name must be a non-empty string, got nothing'],
    ['missing-name', 'name', 'name must be a non-empty string, got nothing'],
    ['missing-version', 'version', 'version must be a non-empty string such as "1.0.0", got nothing'],
    ['name-number', 'name', 'name must be a non-empty string, got 42'],
    ['version-list', 'version', 'version must be a non-empty string such as "1.0.0", got a list'],
    ['version-empty-string', 'version', 'version must be a non-empty string such as "1.0.0", got ""'],
    ['unknown-key', 'route', `route is not a known key (did you mean "routers"?); allowed keys: ${TOP_KEYS_TEXT}`],
    ['legacy-entry-points', 'entry_points',
      `entry_points is not a known key (did you mean "listeners"?); allowed keys: ${TOP_KEYS_TEXT}`],
    ['description-list', 'description', 'description must be a non-empty string, got a list'],
    ['settings-not-mapping', 'settings', 'settings must be a mapping, got a list'],
    ['listeners-not-list', 'listeners', 'listeners must be a list, got "main:Listener"'],
    ['listeners-item-without-colon', 'listeners[1]', 'listeners[1] must look like "module:Export", got "Listener"'],
    ['middleware-item-not-string', 'middleware[0]', 'middleware[0] must look like "module:Export", got a mapping'],
    ['routers-not-list', 'routers', 'routers must be a list, got a mapping'],
    ['router-missing-name', 'routers[0].name', 'routers[0].name must be a non-empty string, got nothing'],
    ['router-unknown-key', 'routers[0].route',
      'routers[0].route is not a known key (did you mean "routes"?); allowed keys: name, mount, config, guards, routes, static'],
    ['router-duplicate-name', 'routers[2].name', 'routers[2].name must be unique (routers[0].name has it too), got "r"'],
    ['router-config-not-mapping', 'routers[0].config', 'routers[0].config must be a mapping, got "dark"'],
    ['router-routes-not-list', 'routers[0].routes', 'routers[0].routes must be a list, got a mapping'],
    ['router-mount-bad-param', 'routers[0].mount',
      'routers[0].mount must use a parameter name of letters, digits and "_" not starting with a digit in "{1version}", got "/api/{1version}"'],
    ['route-not-mapping', 'routers[0].routes[0]', 'routers[0].routes[0] must be a mapping, got "main:Home"'],
    ['route-unknown-key', 'routers[0].routes[1].handle',
      `routers[0].routes[1].handle is not a known key (did you mean "handler"?); allowed keys: ${ROUTE_KEYS_TEXT}`],
    ['route-config-not-mapping', 'routers[0].routes[1].config', 'routers[0].routes[1].config must be a mapping, got a list'],
  ])('rejects %s at %p', (name, keyPath, rest) => {
    const error = configErrorFrom(() => parseFixture(name));
    expect(error.message).toBe(`extension.yaml: ${rest}`);
    expect(error.code).toBe('SERV_CONFIG_INVALID');
    expect(error.keyPath).toBe(keyPath);
  });

  it.each([
    ['handler-missing', 'handler', 'must look like "module:Export", got nothing'],
    ['handler-not-string', 'handler', 'must look like "module:Export", got 42'],
    ['handler-bad-export', 'handler', 'must look like "module:Export", got "main:123About"'],
    ['handler-empty-module', 'handler', 'must look like "module:Export", got ":About"'],
    ['methods-bad-value', 'methods[1]', 'must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, got "FETCH"'],
    ['methods-not-list', 'methods', 'must be a list, got "GET"'],
    ['methods-empty', 'methods', 'must be a non-empty list of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, got an empty list'],
    ['methods-on-websocket-route', 'methods',
      'is not allowed on a websocket route (remove it, or remove "websocket: true")'],
    ['websocket-not-boolean', 'websocket', 'must be true or false, got "yes"'],
    ['frame-type-wrong-value', 'frame_type', 'must be "text" or "binary", got "json"'],
    ['frame-type-on-http-route', 'frame_type',
      'is only allowed on a websocket route (remove it, or remove "websocket: false")'],
    ['limit-on-http-route', 'max_message_bytes',
      'is only allowed on a websocket route (remove it, or remove "methods")'],
    ['limit-wrong-value', 'rate_limit_messages', 'must be an integer of 0 or more, got -1'],
    ['limit-origins-item-empty', 'origins[0]', 'must be a non-empty string, got ""'],
    ['path-not-string', 'path', 'must be a non-empty string, got 42'],
    ['path-without-leading-slash', 'path', 'must start with "/", got "ws"'],
    ['path-unclosed-brace', 'path', 'must close "{room_id" with "}", got "/rooms/{room_id"'],
    ['path-stray-closing-brace', 'path',
      'must not contain "}" without an opening "{" (at "/rooms/room_id}"), got "/rooms/room_id}/x"'],
    ['path-bad-param-name', 'path',
      'must use a parameter name of letters, digits and "_" not starting with a digit in "{1room}", got "/rooms/{1room}"'],
    ['path-empty-param', 'path',
      'must use a parameter name of letters, digits and "_" not starting with a digit in "{}", got "/rooms/{}"'],
    ['path-nested-brace', 'path',
      'must use a parameter name of letters, digits and "_" not starting with a digit in "{a{b}", got "/rooms/{a{b}}"'],
    ['path-bad-param-type', 'path',
      'must use a parameter type of int, path or str (or none) in "{room_id:float}", got "/rooms/{room_id:float}"'],
    ['path-repeated-param', 'path', 'must not repeat the parameter "id" (in "{id}"), got "/rooms/{id}/users/{id}"'],
  ])('rejects the second route of %s at its %s', (name, key, rest) => {
    const keyPath = `routers[0].routes[1].${key}`;
    const error = configErrorFrom(() => parseFixture(name));
    expect(error.message).toBe(`extension.yaml: ${keyPath} ${rest}`);
    expect(error.code).toBe('SERV_CONFIG_INVALID');
    expect(error.keyPath).toBe(keyPath);
  });
});
