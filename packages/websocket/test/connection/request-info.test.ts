import { compactHost, hostText } from '../../src/connection/request-info';

describe('compactHost / hostText', () => {
  it('packs canonical IPv4 addresses into a small integer and gives the same text back', () => {
    for (const host of ['127.0.0.1', '0.0.0.0', '255.255.255.255', '10.0.0.254', '198.51.100.1', '128.0.0.0', '1.2.3.4']) {
      const packed = compactHost(host);
      expect(typeof packed).toBe('number');
      // A 32-bit signed integer: V8 keeps it inside the field, with no heap number behind it.
      expect(packed).toBe((packed as number) | 0);
      expect(hostText(packed)).toBe(host);
    }
  });

  it('round-trips random addresses', () => {
    let seed = 12345;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % 256;
    for (let i = 0; i < 2000; i += 1) {
      const host = `${next()}.${next()}.${next()}.${next()}`;
      expect(hostText(compactHost(host))).toBe(host);
    }
  });

  it('keeps everything else as the string it was', () => {
    for (const host of ['', '::1', '::ffff:127.0.0.1', 'fe80::1%eth0', 'chat.example.com', '127.0.0.01', '01.2.3.4', '1.2.3',
      '1.2.3.4.5', '256.1.1.1', '1..2.3', '.1.2.3', '1.2.3.', '1.2.3.4 ', '１.2.3.4', '1.2.3.4a']) {
      expect(compactHost(host)).toBe(host);
      expect(hostText(host)).toBe(host);
    }
  });
});
