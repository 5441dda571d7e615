import * as path from 'node:path';
// The WebSocket settings keys belong to @serv/websocket; importing it installs them.
import '@serv/websocket';
import { DEFAULT_SEMI_SPACE_MB, defaultSettings, parseServConfig, readServConfig, type ServSettings } from '../../src/config';
import { configErrorFrom, fixturePath, fixtureText } from './helpers';

const FILE = 'serv.config.yaml';
const SETTINGS_KEYS_TEXT =
  'debug, host, port, extension_dir, max_body_bytes, headers_timeout_ms, request_timeout_ms, keep_alive_timeout_ms, ' +
  'trust_proxy, log_format, log_level, origins, max_connections, max_connections_per_ip, max_message_bytes, rate_limit_messages, ' +
  'rate_limit_interval_ms, heartbeat_interval_ms, heartbeat_timeout_ms, send_high_water_bytes, max_buffered_bytes, ' +
  'send_timeout_ms, message_timeout_ms, permessage_deflate, broker, presence_ttl_ms, store, history_max_per_room, ' +
  'history_ttl_s, sessions, metrics, health, shutdown_grace_ms, runtime, tls';

/** Parses a serv-config fixture as if it were ./serv.config.yaml, with an empty environment unless given. */
function parseFixture(name: string, env: NodeJS.ProcessEnv = {}) {
  return parseServConfig(fixtureText('serv-config', `${name}.yaml`), FILE, env);
}

describe('parseServConfig with valid files', () => {
  it('reads the demo serv.config.yaml with its site info, extension and settings', () => {
    const config = parseFixture('demo');
    expect(config.file).toBe(path.resolve(FILE));
    expect(config.dir).toBe(process.cwd());
    expect(config.siteInfo).toEqual({
      name: 'WebSocket Echo Chat Demo',
      description: 'A simple WebSocket echo chat demonstration using Serv',
    });
    expect(config.extensions).toEqual([{ name: 'websocket_chat', settings: {} }]);
    expect(config.settings).toEqual<ServSettings>({
      ...defaultSettings(),
      debug: true,
      host: '127.0.0.1',
      port: 8000,
      extensionDir: path.resolve('extensions'),
    });
  });

  it('keeps the parsed document as raw, without defaults or environment overrides', () => {
    const config = parseFixture('demo', { SERV_PORT: '9000' });
    expect(config.raw).toEqual({
      site_info: { name: 'WebSocket Echo Chat Demo', description: 'A simple WebSocket echo chat demonstration using Serv' },
      extensions: ['websocket_chat'],
      settings: { debug: true, host: '127.0.0.1', port: 8000, extension_dir: './extensions' },
    });
  });

  it('reads every settings key, the two extension entry forms, and resolves paths against the config folder', () => {
    const config = parseServConfig(fixtureText('serv-config', 'full.yaml'), '/srv/app/serv.config.yaml', {});
    expect(config.siteInfo).toEqual({ name: 'Full', description: '' });
    expect(config.extensions).toEqual([
      { name: 'plain_one', settings: {} },
      { name: 'with_settings', settings: { greeting: 'hello', nested: { level: 2 } } },
      { name: 'without_settings', settings: {} },
    ]);
    expect(config.settings).toEqual<ServSettings>({
      debug: true,
      host: '0.0.0.0',
      port: 0,
      extensionDir: '/srv/plugins',
      maxBodyBytes: 2048,
      origins: ['https://example.com', 'http://localhost:3000'],
      maxConnections: 5,
      maxConnectionsPerIp: 2,
      trustProxy: true,
      logFormat: 'json',
      logLevel: 'warn',
      maxMessageBytes: 65536,
      rateLimitMessages: 0,
      rateLimitIntervalMs: 250,
      heartbeatIntervalMs: 0,
      heartbeatTimeoutMs: 500,
      sendHighWaterBytes: 4096,
      maxBufferedBytes: 16384,
      sendTimeoutMs: 700,
      messageTimeoutMs: 900,
      permessageDeflate: true,
      shutdownGraceMs: 0,
      presenceTtlMs: 2000,
      broker: { kind: 'redis', url: 'redis://cache.internal:6380/2', prefix: 'app1:' },
      store: { kind: 'sqlite', path: '/srv/app/var/history.db' },
      historyMaxPerRoom: 50,
      historyTtlS: 3600,
      headersTimeoutMs: 2000,
      requestTimeoutMs: 4000,
      keepAliveTimeoutMs: 1500,
      runtime: { semiSpaceMb: 128 },
      metrics: { path: '/prometheus' },
      health: { live: '/live', ready: '/ready', drainDelayMs: 250 },
      tls: { certFile: '/srv/app/certs/server.crt', keyFile: '/etc/serv/server.key' },
    });
  });

  it.each(['empty', 'comments-only', 'empty-sections'])('gives every default for the %s fixture', (name) => {
    const config = parseFixture(name);
    expect(config.siteInfo).toEqual({});
    expect(config.extensions).toEqual([]);
    expect(config.settings).toEqual(defaultSettings());
  });

  it('has the documented defaults', () => {
    expect(defaultSettings('/app')).toEqual<ServSettings>({
      debug: false,
      host: '127.0.0.1',
      port: 8000,
      extensionDir: '/app/extensions',
      maxBodyBytes: 1048576,
      origins: [],
      maxConnections: 1000,
      maxConnectionsPerIp: 0,
      trustProxy: false,
      logFormat: 'auto',
      maxMessageBytes: 1048576,
      rateLimitMessages: 1000,
      rateLimitIntervalMs: 1000,
      heartbeatIntervalMs: 30000,
      heartbeatTimeoutMs: 10000,
      sendHighWaterBytes: 1048576,
      maxBufferedBytes: 8388608,
      sendTimeoutMs: 30000,
      messageTimeoutMs: 30000,
      permessageDeflate: false,
      shutdownGraceMs: 5000,
      broker: { kind: 'memory' },
      presenceTtlMs: 15000,
      store: { kind: 'sqlite', path: '/app/data/serv.db' },
      historyMaxPerRoom: 1000,
      historyTtlS: 604800,
      headersTimeoutMs: 10000,
      requestTimeoutMs: 30000,
      keepAliveTimeoutMs: 5000,
      runtime: { semiSpaceMb: DEFAULT_SEMI_SPACE_MB },
      metrics: { path: '/metrics' },
      health: { live: '/healthz', ready: '/readyz', drainDelayMs: 0 },
    });
  });
});

describe('parseServConfig with invalid files', () => {
  it.each([
    ['bad-yaml-syntax', 'SERV_CONFIG_YAML', undefined,
      'serv.config.yaml: invalid YAML at line 4, column 18: bad indentation of a mapping entry\n' +
        '2 |   name: Demo\n3 | settings:\n4 |   host: 127.0.0.1: 8000\n  |                  ^'],
    ['bad-yaml-duplicate-key', 'SERV_CONFIG_YAML', undefined,
      'serv.config.yaml: invalid YAML at line 3, column 3: duplicated mapping key\n' +
        '1 | settings:\n2 |   port: 8000\n3 |   port: 9000\n  |   ^'],
    ['bad-yaml-alias', 'SERV_CONFIG_YAML', undefined,
      'serv.config.yaml: invalid YAML at line 2, column 24: unidentified alias "missing_anchor"\n' +
        '1 | settings:\n2 |   port: *missing_anchor\n  |                        ^'],
    ['bad-yaml-js-function', 'SERV_CONFIG_YAML', undefined,
      'serv.config.yaml: invalid YAML at line 3, column 71: unknown tag !<tag:yaml.org,2002:js/function>\n' +
        '1 | site_info:\n2 |   name: Demo\n3 |   description: !!js/function "function () { globalThis.pwned = true }"\n' +
        '  |                                                                       ^'],
    ['bad-yaml-alias-bomb', 'SERV_CONFIG_YAML', undefined,
      'serv.config.yaml: invalid YAML: aliases expand to more than 100000 values (an alias bomb?); write the values out instead of nesting aliases'],
    ['top-level-list', 'SERV_CONFIG_INVALID', '', 'serv.config.yaml: the top level must be a mapping, got a list'],
    ['top-level-scalar', 'SERV_CONFIG_INVALID', '',
      'serv.config.yaml: the top level must be a mapping, got "just some words"'],
    ['unknown-top-level-key', 'SERV_CONFIG_INVALID', 'extension',
      'serv.config.yaml: extension is not a known key (did you mean "extensions"?); allowed keys: site_info, extensions, settings'],
    ['unknown-settings-key', 'SERV_CONFIG_INVALID', 'settings.prot',
      `serv.config.yaml: settings.prot is not a known key (did you mean "port"?); allowed keys: ${SETTINGS_KEYS_TEXT}`],
    ['unknown-settings-key-camel-case', 'SERV_CONFIG_INVALID', 'settings.extensionDir',
      `serv.config.yaml: settings.extensionDir is not a known key (did you mean "extension_dir"?); allowed keys: ${SETTINGS_KEYS_TEXT}`],
    ['unknown-settings-key-no-suggestion', 'SERV_CONFIG_INVALID', 'settings.colour',
      `serv.config.yaml: settings.colour is not a known key; allowed keys: ${SETTINGS_KEYS_TEXT}`],
    ['settings-not-mapping', 'SERV_CONFIG_INVALID', 'settings', 'serv.config.yaml: settings must be a mapping, got a list'],
    ['site-info-not-mapping', 'SERV_CONFIG_INVALID', 'site_info',
      'serv.config.yaml: site_info must be a mapping, got "My Site"'],
    ['site-info-name-number', 'SERV_CONFIG_INVALID', 'site_info.name',
      'serv.config.yaml: site_info.name must be a string, got 42'],
  ])('rejects %s with code %s at %p', (name, code, keyPath, message) => {
    const error = configErrorFrom(() => parseFixture(name));
    expect(error.message).toBe(message);
    expect(error.code).toBe(code);
    expect(error.keyPath).toBe(keyPath);
    expect(error.file).toBe(FILE);
  });

  it('wraps the YAML parser error as the cause of a syntax error', () => {
    const error = configErrorFrom(() => parseFixture('bad-yaml-syntax'));
    expect(error.cause).toBeInstanceOf(Error);
    expect((error.cause as Error).name).toBe('YAMLException');
  });

  it.each([
    ['settings-debug-not-boolean', 'settings.debug', 'must be true or false, got "yes"'],
    ['settings-debug-yaml11-yes', 'settings.debug', 'must be true or false, got "yes"'],
    ['settings-host-not-string', 'settings.host', 'must be a non-empty string, got 8000'],
    ['settings-host-empty', 'settings.host', 'must be a non-empty string, got ""'],
    ['settings-port-string', 'settings.port', 'must be an integer from 0 to 65535, got "8000"'],
    ['settings-port-out-of-range', 'settings.port', 'must be an integer from 0 to 65535, got 70000'],
    ['settings-port-negative', 'settings.port', 'must be an integer from 0 to 65535, got -1'],
    ['settings-port-fraction', 'settings.port', 'must be an integer from 0 to 65535, got 80.5'],
    ['settings-extension-dir-list', 'settings.extension_dir', 'must be a non-empty string, got a list'],
    ['settings-max-body-bytes-zero', 'settings.max_body_bytes', 'must be a positive integer, got 0'],
    ['settings-origins-string', 'settings.origins', 'must be a list, got "https://example.com"'],
    ['settings-origins-item-number', 'settings.origins[1]', 'must be a non-empty string, got 443'],
    ['settings-max-connections-negative', 'settings.max_connections', 'must be a positive integer, got -1'],
    ['settings-max-message-bytes-units', 'settings.max_message_bytes', 'must be a positive integer, got "1MB"'],
    ['settings-rate-limit-messages-negative', 'settings.rate_limit_messages', 'must be an integer of 0 or more, got -1'],
    ['settings-rate-limit-interval-ms-zero', 'settings.rate_limit_interval_ms', 'must be a positive integer, got 0'],
    ['settings-heartbeat-interval-ms-fraction', 'settings.heartbeat_interval_ms', 'must be an integer of 0 or more, got 1.5'],
    ['settings-heartbeat-timeout-ms-zero', 'settings.heartbeat_timeout_ms', 'must be a positive integer, got 0'],
    ['settings-send-high-water-bytes-boolean', 'settings.send_high_water_bytes', 'must be a positive integer, got true'],
    ['settings-max-buffered-bytes-mapping', 'settings.max_buffered_bytes', 'must be a positive integer, got a mapping'],
    ['settings-permessage-deflate-string', 'settings.permessage_deflate', 'must be true or false, got "on"'],
    ['settings-shutdown-grace-ms-negative', 'settings.shutdown_grace_ms', 'must be an integer of 0 or more, got -5'],
    ['settings-broker-kind-unknown', 'settings.broker.kind', 'must be "memory" or "redis", got "rabbit"'],
    ['settings-broker-url-not-redis', 'settings.broker.url', 'must be a URL like "redis://127.0.0.1:6379", got "127.0.0.1:6379"'],
    ['settings-broker-url-missing', 'settings.broker.url', 'must be a non-empty string, got nothing'],
    ['settings-presence-ttl-ms-too-small', 'settings.presence_ttl_ms', 'must be an integer of 100 or more, got 10'],
    ['settings-tls-string', 'settings.tls', 'must be a mapping, got "certs/server.pem"'],
    ['settings-tls-missing-key-file', 'settings.tls.key_file', 'must be a non-empty string, got nothing'],
  ])('rejects a wrong value in %s naming %s', (name, keyPath, rest) => {
    const error = configErrorFrom(() => parseFixture(name));
    expect(error.message).toBe(`serv.config.yaml: ${keyPath} ${rest}`);
    expect(error.code).toBe('SERV_CONFIG_INVALID');
    expect(error.keyPath).toBe(keyPath);
  });

  it('names the expected and found parts of a wrong value separately', () => {
    const error = configErrorFrom(() => parseFixture('settings-port-out-of-range'));
    expect(error.expected).toBe('be an integer from 0 to 65535');
    expect(error.found).toBe('70000');
  });

  it('rejects an unknown key inside settings.tls and suggests the right one', () => {
    const error = configErrorFrom(() => parseFixture('settings-tls-unknown-key'));
    expect(error.message).toBe(
      'serv.config.yaml: settings.tls.keyfile is not a known key (did you mean "key_file"?); allowed keys: cert_file, key_file',
    );
  });

  it.each([
    ['extensions-not-list', 'extensions', 'extensions must be a list, got "websocket_chat"'],
    ['extensions-entry-number', 'extensions[1]',
      'extensions[1] must be an extension folder name or a mapping like { extension: name, settings: {...} }, got 42'],
    ['extensions-entry-list', 'extensions[0]',
      'extensions[0] must be an extension folder name or a mapping like { extension: name, settings: {...} }, got a list'],
    ['extensions-entry-empty-name', 'extensions[0]', 'extensions[0] must be a non-empty string, got ""'],
    ['extensions-entry-missing-extension', 'extensions[0].extension',
      'extensions[0].extension must be a non-empty string, got nothing'],
    ['extensions-entry-unknown-key', 'extensions[0].setting',
      'extensions[0].setting is not a known key (did you mean "settings"?); allowed keys: extension, settings'],
    ['extensions-entry-settings-not-mapping', 'extensions[0].settings',
      'extensions[0].settings must be a mapping, got a list'],
    ['extensions-duplicate', 'extensions[2]',
      'extensions[2] must name an extension not listed before (see extensions[0]), got "chat"'],
  ])('rejects the extensions entry in %s at %s', (name, keyPath, rest) => {
    const error = configErrorFrom(() => parseFixture(name));
    expect(error.message).toBe(`serv.config.yaml: ${rest}`);
    expect(error.keyPath).toBe(keyPath);
  });
});

describe('readServConfig', () => {
  const demo = fixturePath('serv-config', 'demo.yaml');

  it('reads a file from disk and resolves extension_dir next to it', () => {
    const config = readServConfig(demo, {});
    expect(config.file).toBe(demo);
    expect(config.dir).toBe(path.dirname(demo));
    expect(config.settings.extensionDir).toBe(path.join(path.dirname(demo), 'extensions'));
  });

  it('names the file relative to the working folder in errors', () => {
    const file = fixturePath('serv-config', 'settings-port-out-of-range.yaml');
    const error = configErrorFrom(() => readServConfig(file, {}));
    const shown = path.relative(process.cwd(), file);
    expect(error.file).toBe(shown);
    expect(error.message).toBe(`${shown}: settings.port must be an integer from 0 to 65535, got 70000`);
  });

  it('reports a missing file with what to do about it', () => {
    const file = fixturePath('serv-config', 'no-such-file.yaml');
    const error = configErrorFrom(() => readServConfig(file, {}));
    expect(error.code).toBe('SERV_CONFIG_NOT_FOUND');
    expect(error.message).toBe(
      `${path.relative(process.cwd(), file)}: not found (create it with "serv create app", or pass --config with the right path)`,
    );
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
  });

  it('reports a folder given as the config file as unreadable', () => {
    const folder = fixturePath('serv-config');
    const error = configErrorFrom(() => readServConfig(folder, {}));
    expect(error.code).toBe('SERV_CONFIG_UNREADABLE');
    expect(error.message).toBe(`${path.relative(process.cwd(), folder)}: cannot be read (EISDIR: illegal operation on a directory, read)`);
  });
});

describe('parseServConfig reads YAML 1.2 (js-yaml core schema)', () => {
  it('runs nothing for a !!js/function tag: the file is refused and no code was built', () => {
    expect(() => parseFixture('bad-yaml-js-function')).toThrow(/unknown tag/);
    expect((globalThis as { pwned?: unknown }).pwned).toBeUndefined();
  });

  it('keeps merge keys, reads dates as text and only true/false as booleans', () => {
    const config = parseServConfig(
      'site_info:\n  <<: { name: Merged }\n  description: 2026-12-01\nsettings:\n  debug: false\n',
      'serv.config.yaml',
      {},
    );
    expect(config.siteInfo).toEqual({ name: 'Merged', description: '2026-12-01' });
    expect(config.settings.debug).toBe(false);
  });
});
