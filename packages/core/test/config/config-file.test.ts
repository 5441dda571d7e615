import { getConfigValue, parseConfigKey, readServConfig } from '../../src/config';
import { configErrorFrom, fixturePath } from './helpers';

describe('getConfigValue', () => {
  const raw = readServConfig(fixturePath('config-file', 'commented.yaml'), {}).raw;

  it('reads nested keys, list items by [n] or .n, and whole sections', () => {
    expect(getConfigValue(raw, 'settings.port')).toBe(8000);
    expect(getConfigValue(raw, 'site_info.name')).toBe('WebSocket Echo Chat Demo');
    expect(getConfigValue(raw, 'extensions[0]')).toBe('websocket_chat');
    expect(getConfigValue(raw, 'extensions.0')).toBe('websocket_chat');
    expect(getConfigValue(raw, 'extensions')).toEqual(['websocket_chat']);
  });

  it('gives undefined for keys that are not there', () => {
    expect(getConfigValue(raw, 'settings.max_connections')).toBeUndefined();
    expect(getConfigValue(raw, 'settings.port.deeper')).toBeUndefined();
    expect(getConfigValue(raw, 'extensions[3]')).toBeUndefined();
    expect(getConfigValue(raw, 'extensions.name')).toBeUndefined();
    expect(getConfigValue(raw, 'toString')).toBeUndefined();
  });

  it('refuses a malformed key', () => {
    const error = configErrorFrom(() => parseConfigKey('settings..port'));
    expect(error.message).toBe(
      'the key must be dot-separated names like "settings.port" or "extensions[0]", got "settings..port"',
    );
    expect(parseConfigKey('extensions[2].settings.x')).toEqual(['extensions', 2, 'settings', 'x']);
  });
});
