import { ConfigError, parseServConfig } from '@serv/core';

// YAML is parsed by the core's js-yaml reader: alias bombs and code-building tags are errors, nothing is executed,
// and the process carries on.
describe('hostile serv.config.yaml', () => {
  it('refuses a billion-laughs alias bomb with an error naming the file', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const text = `${levels.join('\n')}\nsettings: { debug: *i }\n`;
    const parse = (): unknown => parseServConfig(text, 'serv.config.yaml', {});
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow('serv.config.yaml: invalid YAML: aliases expand to more than 100000 values (an alias bomb?)');
  });

  it('refuses !!js/function and executes nothing', () => {
    (globalThis as { servPwned?: boolean }).servPwned = false;
    const text = 'settings:\n  debug: !!js/function "function () { globalThis.servPwned = true; return true; }"\n';
    let error: unknown;
    try {
      parseServConfig(text, 'serv.config.yaml', {});
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('SERV_CONFIG_YAML');
    expect((error as Error).message).toContain('unknown tag');
    expect((globalThis as { servPwned?: boolean }).servPwned).toBe(false);
  });
});
