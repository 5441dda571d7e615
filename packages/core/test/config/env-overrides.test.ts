import { applyEnvOverrides, defaultSettings, parseBoolText, parsePortText, parseServConfig } from '../../src/config';
import { configErrorFrom, fixtureText } from './helpers';

const demoText = fixtureText('serv-config', 'demo.yaml');
const parseDemo = (env: NodeJS.ProcessEnv) => parseServConfig(demoText, 'serv.config.yaml', env);

describe('SERV_* environment overrides', () => {
  it('lets SERV_HOST, SERV_PORT and SERV_DEBUG beat the file', () => {
    const { settings } = parseDemo({ SERV_HOST: '0.0.0.0', SERV_PORT: '9001', SERV_DEBUG: 'off' });
    expect(settings.host).toBe('0.0.0.0');
    expect(settings.port).toBe(9001);
    expect(settings.debug).toBe(false);
  });

  it('lets SERV_LOG_LEVEL and SERV_LOG_FORMAT beat the file and the defaults', () => {
    const fromFile = parseServConfig('settings:\n  log_level: debug\n  log_format: pretty\n', 'serv.config.yaml', { SERV_LOG_LEVEL: 'warn', SERV_LOG_FORMAT: 'json' });
    expect([fromFile.settings.logLevel, fromFile.settings.logFormat]).toEqual(['warn', 'json']);
    const silent = parseServConfig('', 'serv.config.yaml', { SERV_LOG_LEVEL: 'silent' });
    expect([silent.settings.logLevel, silent.settings.logFormat]).toEqual(['silent', 'auto']);
  });

  it('lets the environment beat the defaults when the file is silent', () => {
    const { settings } = parseServConfig('', 'serv.config.yaml', { SERV_PORT: '0', SERV_DEBUG: 'YES' });
    expect(settings.port).toBe(0);
    expect(settings.debug).toBe(true);
    expect(settings.host).toBe('127.0.0.1');
  });

  it('keeps the file values when the variables are unset or blank', () => {
    const { settings } = parseDemo({ SERV_HOST: '', SERV_PORT: '  ', OTHER: 'x' });
    expect(settings.host).toBe('127.0.0.1');
    expect(settings.port).toBe(8000);
    expect(settings.debug).toBe(true);
  });

  it('reads process.env when no environment is passed', () => {
    const saved = process.env.SERV_PORT;
    process.env.SERV_PORT = '8123';
    try {
      expect(parseServConfig(demoText, 'serv.config.yaml').settings.port).toBe(8123);
    } finally {
      if (saved === undefined) delete process.env.SERV_PORT;
      else process.env.SERV_PORT = saved;
    }
  });

  it.each([
    ['true', true], ['1', true], ['yes', true], ['on', true], ['On', true],
    ['false', false], ['0', false], ['no', false], ['off', false], ['FALSE', false],
  ])('reads SERV_DEBUG=%s as %p', (text, expected) => {
    expect(parseServConfig('', 'serv.config.yaml', { SERV_DEBUG: text }).settings.debug).toBe(expected);
  });

  it.each([
    ['SERV_PORT', 'abc', 'SERV_PORT must be an integer from 0 to 65535, got "abc"'],
    ['SERV_PORT', '70000', 'SERV_PORT must be an integer from 0 to 65535, got "70000"'],
    ['SERV_PORT', '-1', 'SERV_PORT must be an integer from 0 to 65535, got "-1"'],
    ['SERV_PORT', '80.5', 'SERV_PORT must be an integer from 0 to 65535, got "80.5"'],
    ['SERV_DEBUG', 'maybe', 'SERV_DEBUG must be true, 1, yes, on, false, 0, no or off, got "maybe"'],
    ['SERV_LOG_LEVEL', 'loud', 'SERV_LOG_LEVEL must be "debug", "info", "warn", "error" or "silent", got "loud"'],
    ['SERV_LOG_FORMAT', 'xml', 'SERV_LOG_FORMAT must be "auto", "pretty" or "json", got "xml"'],
  ])('rejects %s=%s naming the variable', (name, value, message) => {
    const error = configErrorFrom(() => parseDemo({ [name]: value }));
    expect(error.message).toBe(message);
    expect(error.code).toBe('SERV_CONFIG_INVALID');
    expect(error.keyPath).toBe(name);
    expect(error.file).toBeUndefined();
  });

  it('leaves the settings it was given untouched', () => {
    const settings = defaultSettings('/app');
    const result = applyEnvOverrides(settings, { SERV_PORT: '1' });
    expect(result.port).toBe(1);
    expect(settings.port).toBe(8000);
  });

  it('parses flag text with the same rules and names the flag', () => {
    expect(parsePortText('8080', '--port')).toBe(8080);
    expect(parseBoolText('on', '--debug')).toBe(true);
    expect(configErrorFrom(() => parsePortText('http', '--port')).message).toBe(
      '--port must be an integer from 0 to 65535, got "http"',
    );
  });
});
