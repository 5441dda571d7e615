import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_SEMI_SPACE_MB, parseServConfig, readRuntimeSettings } from '../../src/config';
import { configErrorFrom } from './helpers';

const FILE = 'serv.config.yaml';
const EXPECTED = 'must be "default", 0 (both: Node\'s own size) or a power of two from 1 to 1024 (megabytes)';

function runtimeOf(yaml: string, env: NodeJS.ProcessEnv = {}) {
  return parseServConfig(yaml, FILE, env).settings.runtime;
}

describe('settings.runtime', () => {
  it('defaults to the documented semi-space size, also for an empty runtime block', () => {
    expect(runtimeOf('settings: {}\n')).toEqual({ semiSpaceMb: DEFAULT_SEMI_SPACE_MB });
    expect(runtimeOf('settings:\n  runtime: {}\n')).toEqual({ semiSpaceMb: DEFAULT_SEMI_SPACE_MB });
  });

  it.each([[16, 16], [128, 128], [1, 1], [1024, 1024], [0, 0], ['default', 0]])('reads semi_space_mb: %p as %p', (written, read) => {
    expect(runtimeOf(`settings:\n  runtime:\n    semi_space_mb: ${JSON.stringify(written)}\n`)).toEqual({ semiSpaceMb: read });
  });

  it.each([
    ['48', 'got 48'],
    ['"64"', 'got "64"'],
    ['-16', 'got -16'],
    ['2048', 'got 2048'],
    ['1.5', 'got 1.5'],
    ['big', 'got "big"'],
  ])('refuses semi_space_mb: %s naming file and key', (written, got) => {
    const error = configErrorFrom(() => runtimeOf(`settings:\n  runtime:\n    semi_space_mb: ${written}\n`));
    expect(error.message).toBe(`serv.config.yaml: settings.runtime.semi_space_mb ${EXPECTED}, ${got}`);
    expect(error.keyPath).toBe('settings.runtime.semi_space_mb');
  });

  it('refuses an unknown key in the runtime block and suggests the right one', () => {
    const error = configErrorFrom(() => runtimeOf('settings:\n  runtime:\n    semi_space: 64\n'));
    expect(error.message).toBe(
      'serv.config.yaml: settings.runtime.semi_space is not a known key (did you mean "semi_space_mb"?); allowed keys: semi_space_mb',
    );
  });

  it('lets SERV_SEMI_SPACE_MB beat the file, with digits or "default", and names it when bad', () => {
    const yaml = 'settings:\n  runtime:\n    semi_space_mb: 32\n';
    expect(runtimeOf(yaml, { SERV_SEMI_SPACE_MB: '128' })).toEqual({ semiSpaceMb: 128 });
    expect(runtimeOf(yaml, { SERV_SEMI_SPACE_MB: 'default' })).toEqual({ semiSpaceMb: 0 });
    expect(runtimeOf(yaml, { SERV_SEMI_SPACE_MB: ' ' })).toEqual({ semiSpaceMb: 32 });
    expect(configErrorFrom(() => runtimeOf(yaml, { SERV_SEMI_SPACE_MB: '100' })).message).toBe(`SERV_SEMI_SPACE_MB ${EXPECTED}, got 100`);
  });
});

describe('readRuntimeSettings', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'serv-runtime-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads only settings.runtime of a file, with the environment over it', () => {
    const file = path.join(dir, FILE);
    // The WebSocket keys are not installed in this test: the launcher's read must not care about other keys.
    fs.writeFileSync(file, 'settings:\n  max_connections: 10\n  runtime:\n    semi_space_mb: 16\n');
    expect(readRuntimeSettings(file, {})).toEqual({ semiSpaceMb: 16 });
    expect(readRuntimeSettings(file, { SERV_SEMI_SPACE_MB: '0' })).toEqual({ semiSpaceMb: 0 });
    fs.writeFileSync(file, 'extensions: []\n');
    expect(readRuntimeSettings(file, {})).toEqual({ semiSpaceMb: DEFAULT_SEMI_SPACE_MB });
  });

  it('reports a missing file and a bad value like readServConfig', () => {
    expect(configErrorFrom(() => readRuntimeSettings(path.join(dir, FILE), {})).code).toBe('SERV_CONFIG_NOT_FOUND');
    const file = path.join(dir, FILE);
    fs.writeFileSync(file, 'settings:\n  runtime: 64\n');
    expect(configErrorFrom(() => readRuntimeSettings(file, {})).keyPath).toBe('settings.runtime');
  });
});
