import { ConfigError, createApp, createTestClient, Get, Inject, Logger, parseServConfig, RequestContext, Route, type TrustProxy } from '@serv/core';

@Route('/who')
class WhoRoute {
  @Get() get(@Inject() ctx: RequestContext) {
    return { client: ctx.client, scheme: ctx.scheme, host: ctx.host };
  }
}

/** What the app saw for one request sent with `headers` from 127.0.0.1 with `trust_proxy: trust`. */
async function seen(trust: TrustProxy | undefined, headers: Record<string, string>): Promise<{ client: { host: string; port: number }; scheme: string; host: string }> {
  const settings = trust === undefined ? {} : { trustProxy: trust };
  const client = createTestClient(createApp({ routes: [WhoRoute], settings, logger: new Logger('test', 'silent') }));
  try {
    return (await client.get('/who', { headers: { host: 'origin.internal:8000', ...headers } })).json();
  } finally {
    await client.close();
  }
}

const FORWARDED = { 'x-forwarded-for': '198.51.100.7, 203.0.113.9', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'example.com' };

describe('trust_proxy', () => {
  it('is off by default: the TCP peer, the connection scheme and Host, whatever X-Forwarded-* claims', async () => {
    const ctx = await seen(undefined, FORWARDED);
    expect(ctx).toEqual({ client: { host: '127.0.0.1', port: expect.any(Number) }, scheme: 'http', host: 'origin.internal:8000' });
    expect(ctx.client.port).toBeGreaterThan(0);
  });

  it('true trusts every hop: the leftmost X-Forwarded-For entry is the client', async () => {
    expect(await seen(true, FORWARDED)).toEqual({ client: { host: '198.51.100.7', port: 0 }, scheme: 'https', host: 'example.com' });
  });

  it('a hop count trusts that many proxies from the server outwards, so an entry the client wrote is not believed', async () => {
    expect((await seen(1, FORWARDED)).client.host).toBe('203.0.113.9');
    expect((await seen(2, FORWARDED)).client.host).toBe('198.51.100.7');
    expect((await seen(1, FORWARDED)).scheme).toBe('https');
  });

  it('a list trusts the peers it names and walks X-Forwarded-For from the right past listed addresses', async () => {
    expect((await seen(['loopback'], FORWARDED)).client.host).toBe('203.0.113.9');
    expect((await seen(['127.0.0.1', '203.0.113.0/24'], FORWARDED)).client.host).toBe('198.51.100.7');
    expect(await seen('loopback, 10.0.0.0/8' as unknown as TrustProxy, FORWARDED)).toMatchObject({ client: { host: '203.0.113.9' } });
  });

  it('ignores spoofed headers from a peer the list does not name', async () => {
    expect(await seen(['10.0.0.0/8', '::1'], FORWARDED)).toEqual({ client: { host: '127.0.0.1', port: expect.any(Number) }, scheme: 'http', host: 'origin.internal:8000' });
  });

  it('reads RFC 7239 Forwarded (before X-Forwarded-*), with ports and quoted IPv6', async () => {
    const headers = { forwarded: 'for=198.51.100.7:4711;proto=https;host=example.com, for="[2001:db8::1]:8443"', 'x-forwarded-for': '192.0.2.1' };
    expect(await seen(true, headers)).toEqual({ client: { host: '198.51.100.7', port: 4711 }, scheme: 'https', host: 'example.com' });
    expect(await seen(1, headers)).toEqual({ client: { host: '2001:db8::1', port: 8443 }, scheme: 'http', host: 'origin.internal:8000' });
  });

  it('takes the nearest proxy\'s X-Forwarded-Proto when the lists differ in length, and ignores a junk host', async () => {
    const headers = { 'x-forwarded-for': '198.51.100.7, 203.0.113.9', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'bad host/' };
    expect(await seen(true, headers)).toEqual({ client: { host: '198.51.100.7', port: 0 }, scheme: 'https', host: 'origin.internal:8000' });
  });
});

describe('trust_proxy, log_format and log_level validation', () => {
  const FILE = 'serv.config.yaml';
  const error = (yaml: string): ConfigError => {
    try {
      parseServConfig(`settings:\n${yaml}\n`, FILE, {});
    } catch (err) {
      return err as ConfigError;
    }
    throw new Error('no error');
  };

  it.each([
    ['  trust_proxy: -1', 'serv.config.yaml: settings.trust_proxy must be false, true, a hop count (an integer of 0 or more) or a list of proxy addresses/CIDRs, got -1'],
    ['  trust_proxy: {a: 1}', 'serv.config.yaml: settings.trust_proxy must be false, true, a hop count (an integer of 0 or more) or a list of proxy addresses/CIDRs, got a mapping'],
    ['  trust_proxy: [10.0.0.0/8, 10.0.0.300]', 'serv.config.yaml: settings.trust_proxy[1] must be an IP address, a CIDR such as 10.0.0.0/8, or one of loopback, linklocal, private, got "10.0.0.300"'],
    ['  trust_proxy: [10.0.0.0/33]', 'serv.config.yaml: settings.trust_proxy[0] must be an IP address, a CIDR such as 10.0.0.0/8, or one of loopback, linklocal, private, got "10.0.0.0/33"'],
    ['  trust_proxy: yes', 'serv.config.yaml: settings.trust_proxy must be an IP address, a CIDR such as 10.0.0.0/8, or one of loopback, linklocal, private, got "yes"'],
    ['  log_format: xml', 'serv.config.yaml: settings.log_format must be "auto", "pretty" or "json", got "xml"'],
    ['  log_level: verbose', 'serv.config.yaml: settings.log_level must be "debug", "info", "warn", "error" or "silent", got "verbose"'],
  ])('%s', (yaml, message) => {
    const err = error(yaml);
    expect(err.code).toBe('SERV_CONFIG_INVALID');
    expect(err.message).toBe(message);
  });

  it('accepts each form and reads a comma-separated string as a list', () => {
    const read = (value: string): unknown => parseServConfig(`settings:\n  trust_proxy: ${value}\n`, FILE, {}).settings.trustProxy;
    expect(read('true')).toBe(true);
    expect(read('2')).toBe(2);
    expect(read('[loopback, 10.0.0.0/8, "::1", fd00::/8]')).toEqual(['loopback', '10.0.0.0/8', '::1', 'fd00::/8']);
    expect(read('"loopback, 192.168.1.10"')).toEqual(['loopback', '192.168.1.10']);
  });

  it('checks a trustProxy given to createApp too, naming the setting', () => {
    expect(() => createApp({ settings: { trustProxy: ['not-an-ip'] } })).toThrow(
      'settings.trust_proxy[0] must be an IP address, a CIDR such as 10.0.0.0/8, or one of loopback, linklocal, private, got "not-an-ip"',
    );
  });
});
