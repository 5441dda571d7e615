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
  const app = createApp({ routes: [HelloRoute], settings: { debug }, logger: new Logger('test', 'debug', sink) });
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

describe('request log', () => {
  it('writes exactly one "METHOD /path STATUS 1.2ms" debug line per request in debug mode', async () => {
    const { sink, lines } = collect();
    await requests(true, ['GET /hello', 'HEAD /hello/', 'GET /missing', 'DELETE /hello'], sink);
    expect(lines.map(([level]) => level)).toEqual(['debug', 'debug', 'debug', 'debug']);
    const shape = (method: string, path: string, status: number): RegExp =>
      new RegExp(`^${TIME} DEBUG \\[test\\] ${method} ${path} ${status} \\d+\\.\\dms$`);
    expect(lines[0][1]).toMatch(shape('GET', '/hello', 200));
    expect(lines[1][1]).toMatch(shape('HEAD', '/hello', 200));
    expect(lines[2][1]).toMatch(shape('GET', '/missing', 404));
    expect(lines[3][1]).toMatch(shape('DELETE', '/hello', 405));
  });

  it('writes no request lines outside debug mode', async () => {
    const { sink, lines } = collect();
    await requests(false, ['GET /hello', 'GET /missing'], sink);
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

  it('defaults the app logger to debug in debug mode and info otherwise', () => {
    expect(createApp({ settings: { debug: true } }).logger.level).toBe('debug');
    expect(createApp().logger.level).toBe('info');
  });
});
