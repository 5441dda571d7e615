import { DEFAULT_WEBSOCKET_OPTIONS, FrameType, resolveWebSocketOptions } from '../../src/connection';
import { closeCodeToHttpStatus, isSendableCloseCode } from '../../src/connection';

describe('resolveWebSocketOptions', () => {
  it('starts from the settings-schema defaults', () => {
    expect(resolveWebSocketOptions()).toEqual({
      frameType: 'text',
      maxMessageBytes: 1_048_576,
      rateLimitMessages: 1000,
      rateLimitIntervalMs: 1000,
      heartbeatIntervalMs: 30_000,
      heartbeatTimeoutMs: 10_000,
      sendHighWaterBytes: 1_048_576,
      maxBufferedBytes: 8_388_608,
      sendTimeoutMs: 30000,
      messageTimeoutMs: 30000,
      origins: [],
    });
    expect(resolveWebSocketOptions()).toEqual(DEFAULT_WEBSOCKET_OPTIONS);
  });

  it('lets route overrides beat app settings, skipping undefined values and unrelated keys', () => {
    const appSettings = { maxMessageBytes: 2048, origins: ['https://a.example'], debug: true, port: 8000 };
    const resolved = resolveWebSocketOptions(appSettings, {
      maxMessageBytes: 4096,
      frameType: FrameType.BINARY,
      origins: undefined,
    });
    expect(resolved.maxMessageBytes).toBe(4096);
    expect(resolved.frameType).toBe('binary');
    expect(resolved.origins).toEqual(['https://a.example']);
    expect(Object.isFrozen(resolved)).toBe(true);
  });

  it.each([
    [{ maxMessageBytes: 0 }, 'WebSocket option maxMessageBytes must be a positive integer, got 0'],
    [{ rateLimitMessages: -1 }, 'WebSocket option rateLimitMessages must be an integer >= 0, got -1'],
    [{ heartbeatIntervalMs: 1.5 }, 'WebSocket option heartbeatIntervalMs must be an integer >= 0, got 1.5'],
    [{ frameType: 'json' }, 'WebSocket option frameType must be "text" or "binary", got "json"'],
    [{ origins: 'https://a.example' }, 'WebSocket option origins must be a list of strings, got "https://a.example"'],
  ])('rejects %j with a message naming the option, the rule and the value', (route, message) => {
    expect(() => resolveWebSocketOptions({}, route as never)).toThrow(new TypeError(message));
  });
});

describe('close codes', () => {
  it.each([
    [4401, 401],
    [4403, 403],
    [4404, 404],
    [4429, 429],
    [4400, 400],
    [4499, 499],
    [4500, 403],
    [3000, 403],
    [1000, 403],
  ])('maps close %d before accept() to HTTP %d', (code, status) => {
    expect(closeCodeToHttpStatus(code)).toBe(status);
  });

  it('accepts only codes an endpoint may send', () => {
    expect([1000, 1001, 1003, 1007, 1008, 1011, 1014, 3000, 4999].every(isSendableCloseCode)).toBe(true);
    expect([999, 1004, 1005, 1006, 1015, 2000, 5000, 1000.5].some(isSendableCloseCode)).toBe(false);
  });
});
