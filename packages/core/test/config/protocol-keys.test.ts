import {
  createApp, createTestClient, expectInt, Logger, parseExtensionSpec, parseServConfig, registerProtocol, ServError, SETTINGS_KEYS,
  type App, type Protocol,
} from '@serv/core';
import { configErrorFrom } from './helpers';

// This file never imports @serv/websocket: it shows what a project sees when no protocol package is installed, and
// that a protocol brings its own settings and YAML route keys through the core's extension points.

const SETTINGS_FILE = 'serv.config.yaml';
const SPEC_FILE = 'extension.yaml';
const INSTALL_NOTE =
  "WebSocket keys come from @serv/websocket: install it and import it before reading the config (import '@serv/websocket'; serv launch does this for you)";

const websocketRoute = [
  'name: Chat',
  'version: 1.0.0',
  'routers:',
  '  - name: chat',
  '    routes:',
  '      - path: /ws',
  '        handler: main:Chat',
  '        websocket: true',
].join('\n');

describe('without a protocol package', () => {
  let app: App | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('refuses a WebSocket settings key and says which package to install and import', () => {
    const error = configErrorFrom(() => parseServConfig('settings:\n  max_connections: 10\n', SETTINGS_FILE, {}));
    expect(error.message).toBe(
      'serv.config.yaml: settings.max_connections is not a known key; allowed keys: debug, host, port, extension_dir, ' +
        `max_body_bytes, headers_timeout_ms, request_timeout_ms, keep_alive_timeout_ms, trust_proxy, log_format, log_level, sessions, metrics, health, shutdown_grace_ms, runtime, tls. ${INSTALL_NOTE}`,
    );
    expect(error.keyPath).toBe('settings.max_connections');
  });

  it('refuses "websocket: true" on a route and says which package to install and import', () => {
    const error = configErrorFrom(() => parseExtensionSpec(websocketRoute, SPEC_FILE, '/ext'));
    expect(error.message).toBe(
      'extension.yaml: routers[0].routes[0].websocket is not a known key; allowed keys: path, handler, methods, config, guards. ' +
        INSTALL_NOTE,
    );
  });

  it('refuses to start an app with a WebSocket route, naming the route and the import', async () => {
    app = createApp({ logger: new Logger('test', 'silent') });
    app.addRoute({ kind: 'websocket', path: '/ws', handler: () => undefined, source: 'app.ts:3' });
    await expect(app.start()).rejects.toThrow(
      new ServError(
        'SERV_PROTOCOL_MISSING',
        "app.ts:3: websocket routes need the @serv/websocket package; install @serv/websocket (npm install @serv/websocket) and import it before the app or config is loaded (import '@serv/websocket'); serv launch does this for you",
      ),
    );
  });

  it('answers a WebSocket upgrade with 400, and client.websocket() says what to install', async () => {
    app = createApp({ logger: new Logger('test', 'silent') });
    const client = createTestClient(app);
    await expect(client.websocket('/ws')).rejects.toThrow(/^client\.websocket\(\) needs the @serv\/websocket package; install @serv\/websocket/);
    const res = await client.get('/ws', { headers: { connection: 'Upgrade', upgrade: 'websocket' } }).catch((err: unknown) => err);
    // Node's client hands a refused upgrade back as an ordinary response.
    expect((res as { status: number }).status).toBe(400);
    expect((res as { text(): string }).text()).toBe('Upgrade to "websocket" is not supported');
  });
});

describe('a protocol package plugged in through the extension points', () => {
  const pigeon: Protocol = {
    kind: 'pigeon',
    upgrade: 'pigeon',
    decorator: 'PigeonRoute',
    routeLabel: 'PIGEON',
    settings: [{ key: 'max_pigeons', field: 'maxPigeons', defaultValue: 3, read: (v, at) => expectInt(v, at, 1) }],
    routeKeys: { flag: 'pigeon', keys: [{ key: 'wing_span', option: 'wingSpan', read: (v, at) => expectInt(v, at, 1) }] },
    scopedTokens: new Map(),
    functionArgs: (ctx) => [ctx],
    resolveOptions: (record) => record.options,
    attach: () => ({ handleUpgrade: (_req, socket) => socket.destroy(), close: async () => undefined }),
  };
  beforeAll(() => registerProtocol(pigeon));

  it('adds its settings keys to SETTINGS_KEYS', () => {
    expect(SETTINGS_KEYS).toEqual(['debug', 'host', 'port', 'extension_dir', 'max_body_bytes', 'headers_timeout_ms', 'request_timeout_ms', 'keep_alive_timeout_ms', 'trust_proxy', 'log_format', 'log_level', 'max_pigeons', 'sessions', 'metrics', 'health', 'shutdown_grace_ms', 'runtime', 'tls']);
  });

  it('validates and defaults its settings keys in serv.config.yaml', () => {
    expect(parseServConfig('', SETTINGS_FILE, {}).settings).toMatchObject({ maxPigeons: 3 });
    expect(parseServConfig('settings:\n  max_pigeons: 9\n', SETTINGS_FILE, {}).settings).toMatchObject({ maxPigeons: 9 });
    const error = configErrorFrom(() => parseServConfig('settings:\n  max_pigeons: 0\n', SETTINGS_FILE, {}));
    expect(error.message).toBe('serv.config.yaml: settings.max_pigeons must be a positive integer, got 0');
    const typo = configErrorFrom(() => parseServConfig('settings:\n  max_pigeon: 2\n', SETTINGS_FILE, {}));
    expect(typo.message).toBe(
      'serv.config.yaml: settings.max_pigeon is not a known key (did you mean "max_pigeons"?); allowed keys: debug, host, ' +
        'port, extension_dir, max_body_bytes, headers_timeout_ms, request_timeout_ms, keep_alive_timeout_ms, trust_proxy, log_format, log_level, max_pigeons, sessions, metrics, health, shutdown_grace_ms, runtime, tls',
    );
  });

  it('reads its YAML route flag and keys into the route kind and options', () => {
    const text = 'name: P\nversion: 1.0.0\nrouters:\n  - name: r\n    routes:\n      - path: /p\n        handler: main:P\n        pigeon: true\n        wing_span: 40\n';
    const [route] = parseExtensionSpec(text, SPEC_FILE, '/ext').routers[0].routes;
    expect(route).toMatchObject({ kind: 'pigeon', options: { wingSpan: 40 } });
    // Without the flag the handler's decorator decides the kind when the extension loads; the options wait for it.
    const [undecided] = parseExtensionSpec(text.replace('        pigeon: true\n', ''), SPEC_FILE, '/ext').routers[0].routes;
    expect(undecided).toMatchObject({ options: { wingSpan: 40 }, optionKeys: ['wing_span'] });
    expect(undecided.kind).toBeUndefined();
    const stray = configErrorFrom(() => parseExtensionSpec(text.replace('pigeon: true', 'pigeon: false'), SPEC_FILE, '/ext'));
    expect(stray.message).toBe(
      'extension.yaml: routers[0].routes[0].wing_span is only allowed on a pigeon route (remove it, or remove "pigeon: false")',
    );
  });

  it('labels its routes in the route table', () => {
    const app = createApp();
    app.addRoute({ kind: 'pigeon', path: '/p', handler: () => undefined, source: 'test' });
    expect(app.routeTable()).toEqual([{ kind: 'pigeon', methods: ['PIGEON'], path: '/p', handler: 'handler', source: 'test' }]);
  });
});
