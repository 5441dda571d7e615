import 'reflect-metadata';
import { createApp } from '../../src';

// createApp({ settings }) takes the camelCase fields of ServSettings; a key it does not know used to be ignored.
describe('createApp({ settings })', () => {
  it('refuses a serv.config.yaml key written in code and names the field to use', () => {
    expect(() => createApp({ settings: { log_level: 'warn' } as never })).toThrow(
      'createApp({ settings }): unknown setting "log_level"; in code, settings use camelCase: write logLevel (log_level is its serv.config.yaml key)',
    );
  });

  it('suggests the nearest field for a typo', () => {
    expect(() => createApp({ settings: { shutdownGraceMS: 10 } as never })).toThrow('unknown setting "shutdownGraceMS"; did you mean shutdownGraceMs?');
  });

  it('lists the known fields when nothing is close', () => {
    expect(() => createApp({ settings: { zzzzzzzzzzzz: 1 } as never })).toThrow(/unknown setting "zzzzzzzzzzzz"; known settings: debug, host, port, .*shutdownGraceMs/);
  });

  it('takes every known field', () => {
    const app = createApp({ settings: { logLevel: 'warn', shutdownGraceMs: 10, metrics: false } });
    expect(app.settings.logLevel).toBe('warn');
    expect(app.settings.metrics).toBe(false);
  });
});
