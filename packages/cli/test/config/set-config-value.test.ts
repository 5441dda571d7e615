import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, displayPath, getConfigValue, readServConfig } from '@serv/core';
import { setConfigValue } from '../../src/config/set-config-value';

const COMMENTED_FILE = path.join(__dirname, '..', '..', '..', 'core', 'test', 'fixtures', 'config', 'config-file', 'commented.yaml');

/** Runs `action`, expecting it to throw a ConfigError, and returns that error for exact assertions. */
function configErrorFrom(action: () => unknown): ConfigError {
  try {
    action();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError, but nothing was thrown');
}

const COMMENTED = fs.readFileSync(COMMENTED_FILE, 'utf8');

let dir: string;
let file: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'serv-config-file-'));
  file = path.join(dir, 'serv.config.yaml');
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Puts `text` in the temporary serv.config.yaml. */
function writeConfig(text: string): void {
  fs.writeFileSync(file, text);
}

const readBack = () => fs.readFileSync(file, 'utf8');

describe('setConfigValue', () => {
  it('changes a value in place, keeping every comment and the rest of the layout', () => {
    writeConfig(COMMENTED);
    setConfigValue(file, 'settings.port', 9000);
    expect(readBack()).toBe(COMMENTED.replace('port: 8000 # the dev port', 'port: 9000 # the dev port'));
  });

  it('adds new keys and list items and returns the validated config, which reads back the same', () => {
    writeConfig(COMMENTED);
    setConfigValue(file, 'settings.origins', ['https://a.example']);
    setConfigValue(file, 'extensions[1]', { extension: 'rooms', settings: { max: 3 } });
    const config = setConfigValue(file, 'settings.max_connections', 50);
    expect(config.settings.maxConnections).toBe(50);
    expect(readBack()).toBe(
      COMMENTED.replace('  - websocket_chat\n', '  - websocket_chat\n  - extension: rooms\n    settings:\n      max: 3\n') +
        '  origins:\n    - https://a.example\n  max_connections: 50\n',
    );
    const reread = readServConfig(file, {});
    expect(getConfigValue(reread.raw, 'settings.max_connections')).toBe(50);
    expect(getConfigValue(reread.raw, 'extensions[1].settings.max')).toBe(3);
    expect(reread.extensions.map((entry) => entry.name)).toEqual(['websocket_chat', 'rooms']);
  });

  it('fills an empty section, keeping the comment that stood in it', () => {
    writeConfig(fs.readFileSync(path.join(path.dirname(COMMENTED_FILE), 'empty-settings.yaml'), 'utf8'));
    setConfigValue(file, 'settings.port', 1234);
    expect(readBack()).toBe('settings:\n  # nothing here yet\n  port: 1234\n');
  });

  it('creates the sections an empty file lacks', () => {
    writeConfig('# just a comment\n');
    setConfigValue(file, 'settings.debug', true);
    expect(readBack()).toBe('# just a comment\n\nsettings:\n  debug: true\n');
  });

  it('refuses a value that makes the file invalid and leaves the file untouched', () => {
    writeConfig(COMMENTED);
    const error = configErrorFrom(() => setConfigValue(file, 'settings.port', 'abc'));
    expect(error.message).toBe(`${displayPath(file)}: settings.port must be an integer from 0 to 65535, got "abc"`);
    expect(readBack()).toBe(COMMENTED);
    expect(fs.readdirSync(dir)).toEqual(['serv.config.yaml']);
  });

  it('refuses an unknown key with a suggestion and leaves the file untouched', () => {
    writeConfig(COMMENTED);
    const error = configErrorFrom(() => setConfigValue(file, 'settings.prot', 9000));
    expect(error.message.startsWith(`${displayPath(file)}: settings.prot is not a known key (did you mean "port"?); allowed keys: `)).toBe(true);
    expect(readBack()).toBe(COMMENTED);
  });

  it('refuses to set a key inside a scalar', () => {
    writeConfig(COMMENTED);
    const error = configErrorFrom(() => setConfigValue(file, 'settings.port.value', 1));
    expect(error.message).toBe(`${displayPath(file)}: settings.port.value cannot be set: settings.port is 8000, not a mapping or list`);
    expect(readBack()).toBe(COMMENTED);
  });

  it('refuses a list index past the end', () => {
    writeConfig(COMMENTED);
    const error = configErrorFrom(() => setConfigValue(file, 'extensions[5]', 'far'));
    expect(error.message).toBe(
      `${displayPath(file)}: extensions[5] cannot be set: extensions is a list of 1 item(s), so use an index from 0 to 1`,
    );
  });

  it('reports a missing file as not found', () => {
    const error = configErrorFrom(() => setConfigValue(file, 'settings.port', 1));
    expect(error.code).toBe('SERV_CONFIG_NOT_FOUND');
    expect(fs.existsSync(file)).toBe(false);
  });

  it('reports a file with broken YAML before changing anything', () => {
    writeConfig('settings:\n  host: 127.0.0.1: 8000\n');
    const error = configErrorFrom(() => setConfigValue(file, 'settings.port', 1));
    expect(error.message).toBe(
      `${displayPath(file)}: invalid YAML at line 2, column 18: bad indentation of a mapping entry\n` +
        '1 | settings:\n2 |   host: 127.0.0.1: 8000\n  |                  ^',
    );
  });
});
