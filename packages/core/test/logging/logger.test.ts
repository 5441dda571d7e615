import { createApp, createTestClient, Get, Logger, Route, type LogLevel, type LogSink } from '@serv/core';

const TIME = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z';

@Route('/hello')
class HelloRoute {
  @Get() get() {
    return 'hello';
  }
}

function collect(): { sink: LogSink; lines: Array<[string, string]> } {
  const lines: Array<[string, string]> = [];
  return { lines, sink: (level, line) => lines.push([level, line]) };
}

/** Run requests and wait until the app has finished each of them (the log line is written before app.request.end). */
async function requests(debug: boolean, paths: string[], sink: LogSink): Promise<void> {
  const app = createApp({ routes: [HelloRoute], settings: { debug }, logger: new Logger('test', 'info', sink) });
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  let ended = 0;
  app.on('app.request.end', () => {
    if (++ended === paths.length) done();
  });
  const client = createTestClient(app);
  try {
    for (const path of paths) await client.request(path.split(' ')[0], path.split(' ')[1]);
    await finished;
  } finally {
    await client.close();
  }
}

describe('request log (pretty format)', () => {
  it('writes exactly one "METHOD /path STATUS 1.2ms BYTES CLIENT id=ID" info line per request, debug mode or not', async () => {
    for (const debug of [true, false]) {
      const { sink, lines } = collect();
      await requests(debug, ['GET /hello', 'HEAD /hello/', 'GET /missing', 'DELETE /hello'], sink);
      expect(lines.map(([level]) => level)).toEqual(['info', 'info', 'info', 'info']);
      const shape = (method: string, path: string, status: number, bytes: number): RegExp =>
        new RegExp(`^${TIME} INFO  \\[test\\] ${method} ${path} ${status} \\d+\\.\\dms ${bytes}B 127\\.0\\.0\\.1 id=[\\w-]+-[0-9a-z]+$`);
      expect(lines[0][1]).toMatch(shape('GET', '/hello', 200, 5));
      expect(lines[1][1]).toMatch(shape('HEAD', '/hello', 200, 5));
      expect(lines[2][1]).toMatch(shape('GET', '/missing', 404, 46));
      expect(lines[3][1]).toMatch(shape('DELETE', '/hello', 405, 60));
    }
  });

  it('writes no request lines when the logger is above info', async () => {
    const { sink, lines } = collect();
    const logger = new Logger('test', 'warn', sink);
    const client = createTestClient(createApp({ routes: [HelloRoute], logger }));
    try {
      expect((await client.get('/hello')).status).toBe(200);
      expect((await client.get('/missing')).status).toBe(404);
    } finally {
      await client.close();
    }
    expect(lines).toEqual([]);
  });
});

describe('Logger', () => {
  it('writes "time LEVEL [name] message" lines at or above its level', () => {
    const { sink, lines } = collect();
    const logger = new Logger('svc', 'info', sink);
    logger.debug('hidden');
    logger.info('shown');
    logger.warn('careful');
    expect(lines.map(([level]) => level)).toEqual(['info', 'warn']);
    expect(lines[0][1]).toMatch(new RegExp(`^${TIME} INFO  \\[svc\\] shown$`));
    expect(lines[1][1]).toMatch(new RegExp(`^${TIME} WARN  \\[svc\\] careful$`));
  });

  it('appends the stack and every cause to error lines', () => {
    const { sink, lines } = collect();
    new Logger('svc', 'error', sink).error('save failed', new Error('outer', { cause: new Error('inner') }));
    const text = lines[0][1];
    expect(text).toMatch(new RegExp(`^${TIME} ERROR \\[svc\\] save failed\\nError: outer\\n`));
    expect(text).toContain('\nCaused by: Error: inner\n');
  });

  it('writes nothing when silent, and says which levels are enabled', () => {
    const { sink, lines } = collect();
    const logger = new Logger('svc', 'silent', sink);
    logger.error('nope');
    expect(lines).toEqual([]);
    const levels: Array<Exclude<LogLevel, 'silent'>> = ['debug', 'info', 'warn', 'error'];
    expect(levels.map((l) => new Logger('x', 'warn', sink).enabled(l))).toEqual([false, false, true, true]);
  });

  it('gives a child its own name with the parent level and sink', () => {
    const { sink, lines } = collect();
    new Logger('app', 'warn', sink).child('db').warn('slow query');
    expect(lines[0][1]).toMatch(/ WARN  \[db\] slow query$/);
  });

  it('defaults the app logger to debug in debug mode and info otherwise, unless log_level says', () => {
    expect(createApp({ settings: { debug: true } }).logger.level).toBe('debug');
    expect(createApp().logger.level).toBe('info');
    expect(createApp({ settings: { debug: true, logLevel: 'warn' } }).logger.level).toBe('warn');
    expect(createApp({ settings: { logLevel: 'silent' } }).logger.level).toBe('silent');
  });

  it('takes log_format, and defaults to JSON when stdout is not a terminal (as under Jest)', () => {
    expect(createApp({ settings: { logFormat: 'pretty' } }).logger.format).toBe('pretty');
    expect(createApp({ settings: { logFormat: 'json' } }).logger.format).toBe('json');
    expect(process.stdout.isTTY).not.toBe(true);
    expect(createApp().logger.format).toBe('json');
  });

  it('writes JSON lines in pino\'s shape, with fields and the error as err', () => {
    const { sink, lines } = collect();
    const logger = new Logger('svc', 'info', sink, 'json');
    logger.info('started');
    logger.log('warn', 'slow', { ms: 12, table: 'users' });
    logger.error('save failed', new Error('outer', { cause: new Error('inner') }));
    const parsed = lines.map(([, line]) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map(([level]) => level)).toEqual(['info', 'warn', 'error']);
    expect(parsed[0]).toEqual({ level: 30, time: expect.any(Number), pid: process.pid, hostname: expect.any(String), name: 'svc', msg: 'started' });
    expect(parsed[1]).toMatchObject({ level: 40, name: 'svc', msg: 'slow', ms: 12, table: 'users' });
    expect(parsed[2]).toMatchObject({ level: 50, msg: 'save failed', err: { type: 'Error', message: 'outer: inner', stack: expect.stringMatching(/^Error: outer\n[^]*Error: inner/) } });
  });

  it('appends fields as key=value in the pretty format', () => {
    const { sink, lines } = collect();
    new Logger('svc', 'info', sink).log('info', 'websocket closed', { code: 1000, reason: 'bye now', path: '/ws' });
    expect(lines[0][1]).toMatch(new RegExp(`^${TIME} INFO  \\[svc\\] websocket closed code=1000 reason="bye now" path=/ws$`));
  });
});
