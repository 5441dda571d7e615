import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { LineBuffer } from '../../src/logging/line-buffer';

const run = promisify(execFile);

/** What `write` appends, as text. */
function written(write: (buffer: LineBuffer) => void): string {
  const buffer = new LineBuffer();
  buffer.reserve(1 << 20);
  write(buffer);
  return buffer.take().toString('utf8');
}

describe('LineBuffer', () => {
  it('writes strings exactly as JSON.stringify does, escapes and non-ASCII included', () => {
    const samples = ['', '/users/42', 'a"b\\c', 'tab\there', 'nul\u0000', 'del\u007f', 'é', '日本', '😀', 'lone \ud800 surrogate', '~!'];
    for (const text of samples) expect(written((b) => b.jsonString(text))).toBe(JSON.stringify(text));
  });

  it('writes integers in decimal, up to the largest safe integer', () => {
    // Every digit count, at both ends (numbers are written two digits at a time, in two parts past nine digits).
    const edges = Array.from({ length: 16 }, (_, k) => [10 ** k, 10 ** k - 1, 10 ** k + 7]).flat();
    const samples = [...edges, 42, 1_000_000_007, 1_796_173_808_914, Number.MAX_SAFE_INTEGER];
    for (const value of samples) expect(written((b) => b.integer(value))).toBe(String(value));
  });

  it('writes a duration as JSON prints it rounded to the microsecond', () => {
    const samples = [0, 0.0004, 0.0005, 0.001, 0.01, 0.1, 0.5, 0.125, 0.1234, 1, 1.5, 12, 12.3456, 999.9999, 1234.5, 86_400_000.25, 2 ** 40 + 0.5];
    for (const ms of samples) expect(written((b) => b.milliseconds(ms))).toBe(JSON.stringify(Math.round(ms * 1000) / 1000));
  });

  it('hands over pending bytes once, and starts a chunk of its own for a line larger than the default', () => {
    const buffer = new LineBuffer();
    buffer.text('one\n');
    expect(buffer.take().toString()).toBe('one\n');
    expect(buffer.pendingBytes).toBe(0);
    const big = 'x'.repeat(200_000);
    expect(buffer.fits(big.length + 2)).toBe(false);
    buffer.reserve(big.length + 2);
    buffer.jsonString(big);
    expect(buffer.take().toString()).toBe(JSON.stringify(big));
  });

  it('gives back the line being written as text, and can drop it', () => {
    const buffer = new LineBuffer();
    buffer.text('kept\n');
    buffer.beginLine();
    buffer.jsonString('line');
    expect(buffer.lineText()).toBe('"line"');
    buffer.dropLine();
    expect(buffer.take().toString()).toBe('kept\n');
  });
});

describe('JSON log output on stdout', () => {
  it('writes every request line and logger line whole and in order, across chunks, and flushes at exit', async () => {
    // A process logging through the real stdout (a pipe here, as under a process manager), then exiting at once.
    const script = `
      const { createApp, createTestClient, Logger } = require('@serv/core');
      const logger = new Logger('serv', 'info', undefined, 'json');
      const app = createApp({ logger });
      app.addRoute({ path: '/p/{id}', handler: () => 'ok' });
      const client = createTestClient(app);
      (async () => {
        for (let i = 0; i < 400; i++) {
          await client.get('/p/' + i);
          if (i % 50 === 0) logger.info('marker ' + i);
          if (i === 200) logger.info('big ' + 'x'.repeat(100000));
        }
        await client.close();
        logger.info('last');
        process.exit(0);
      })();`;
    const { stdout } = await run(process.execPath, ['-e', script], { cwd: __dirname, maxBuffer: 64 << 20 });
    const lines = stdout.split('\n');
    expect(lines.pop()).toBe('');
    const labels = lines.map((line) => {
      const parsed = JSON.parse(line) as { msg: string; path?: string; status?: number };
      return parsed.msg === 'request' ? `${parsed.status} ${parsed.path}` : parsed.msg;
    });
    const expected: string[] = [];
    for (let i = 0; i < 400; i++) {
      expected.push(`200 /p/${i}`);
      if (i % 50 === 0) expected.push(`marker ${i}`);
      if (i === 200) expected.push(`big ${'x'.repeat(100000)}`);
    }
    expected.push('last');
    expect(labels).toEqual(expected);
  });
});
