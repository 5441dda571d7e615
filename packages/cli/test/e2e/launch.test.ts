import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheEnv, scaffoldEchoApp } from '../helpers/scaffold-app';
import { assertBuilt, makeTempDir, removeTempDir, runServ, ServProcess } from '../helpers/serv-process';

jest.setTimeout(30_000);

describe('serv launch', () => {
  let dir: string;
  let server: ServProcess | undefined;
  // One compile cache for the file: every test scaffolds the same sources, so only the first pays for compiling.
  let cacheDir: string;
  let cache: Record<string, string>;

  beforeAll(() => {
    assertBuilt();
    cacheDir = makeTempDir('serv-cli-cache-');
    cache = cacheEnv(cacheDir);
  });
  afterAll(() => removeTempDir(cacheDir));
  beforeEach(async () => {
    dir = makeTempDir();
    await scaffoldEchoApp(dir);
  });
  afterEach(async () => {
    if (server !== undefined) await server.stop();
    server = undefined;
    removeTempDir(dir);
  });

  const launch = (args: readonly string[], env: Record<string, string> = cache): ServProcess =>
    new ServProcess(['launch', ...args], { cwd: dir, env });

  it('serves a scaffolded WebSocket route that serv ws talks to, and exits 0 on SIGTERM', async () => {
    server = launch(['--port', '0']);
    const { port } = await server.listening();
    expect(server.stdout).toBe(
      `Serv listening on http://127.0.0.1:${port}\n1 route: 0 HTTP, 1 WebSocket (ws://127.0.0.1:${port}/ws/echo)\n`,
    );
    const reply = await runServ(['ws', `ws://127.0.0.1:${port}/ws/echo`, '--send', 'hi', '--expect', 'hi'], { cwd: dir });
    expect(reply).toMatchObject({ code: 0, stdout: '< Echo: hi\n' });
    expect(await server.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(server.stdout).toContain('Shutting down (SIGTERM)…\n');
  });

  it('closes open WebSocket connections with 1001 on SIGTERM before exiting 0', async () => {
    server = launch(['--port', '0']);
    const { port } = await server.listening();
    const client = new ServProcess(['ws', `ws://127.0.0.1:${port}/ws/echo`], { cwd: dir });
    try {
      client.child.stdin.write('a\n');
      await client.waitFor(/< Echo: a\n/);
      expect(await server.stop('SIGTERM')).toEqual({ code: 0, signal: null });
      expect(await client.exited).toEqual({ code: 0, signal: null });
      expect(client.stderr).toBe('Connection closed: 1001 Server shutting down\n');
    } finally {
      await client.stop();
    }
  });

  it('exits 0 on SIGINT', async () => {
    server = launch(['--port', '0']);
    await server.listening();
    expect(await server.stop('SIGINT')).toEqual({ code: 0, signal: null });
  });

  it('runs with no subcommand as launch', async () => {
    server = new ServProcess(['--port', '0'], { cwd: dir, env: cache });
    await server.listening();
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  });

  it('lets SERV_PORT beat the file and --port beat SERV_PORT', async () => {
    // The file says 8000; SERV_PORT=0 must win over it.
    server = launch([], { ...cache, SERV_PORT: '0' });
    expect((await server.listening()).port).not.toBe(8000);
    await server.stop();
    // SERV_PORT=1 cannot be bound by a normal user; --port 0 must win over it.
    server = launch(['--port', '0'], { ...cache, SERV_PORT: '1' });
    expect((await server.listening()).port).not.toBe(1);
  });

  it('exits 1 naming the file and key when extension.yaml has a bad handler, without a stack trace', async () => {
    const spec = join(dir, 'extensions', 'chat', 'extension.yaml');
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('handler: websocket_echo:EchoHandler', 'handler: websocket_echo'));
    const result = await runServ(['launch', '--port', '0'], { cwd: dir, env: cache });
    expect(result).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'extensions/chat/extension.yaml: routers[0].routes[0].handler must look like "module:Export", got "websocket_echo"\n',
    });
  });

  it('exits 1 naming serv.config.yaml and the key for a bad setting', async () => {
    const config = join(dir, 'serv.config.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace('port: 8000', 'port: eighty'));
    const result = await runServ(['launch'], { cwd: dir, env: cache });
    expect(result).toMatchObject({ code: 1, stderr: 'serv.config.yaml: settings.port must be an integer from 0 to 65535, got "eighty"\n' });
  });

  it('exits 1 with the line and column for invalid YAML', async () => {
    writeFileSync(join(dir, 'serv.config.yaml'), 'settings:\n  port: [1\n');
    const result = await runServ(['launch'], { cwd: dir, env: cache });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^serv\.config\.yaml: invalid YAML at line \d+, column \d+: /);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 1 naming the file and export when a handler export is missing', async () => {
    const spec = join(dir, 'extensions', 'chat', 'extension.yaml');
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('websocket_echo:EchoHandler', 'websocket_echo:Missing'));
    const result = await runServ(['launch'], { cwd: dir, env: cache });
    expect(result).toMatchObject({
      code: 1,
      stderr: 'extensions/chat/extension.yaml: routers[0].routes[0].handler: extensions/chat/websocket_echo.ts has no export "Missing" (it exports: EchoHandler)\n',
    });
  });

  it('exits 1 with the file, line and column for a TypeScript syntax error', async () => {
    writeFileSync(join(dir, 'extensions', 'chat', 'websocket_echo.ts'), 'export class Echo {\n  handle( {\n}\n');
    const result = await runServ(['launch'], { cwd: dir, env: cache });
    expect(result).toMatchObject({
      code: 1,
      stderr:
        'extensions/chat/extension.yaml: routers[0].routes[0].handler: loading extensions/chat/websocket_echo.ts failed: ' +
        "extensions/chat/websocket_echo.ts:4:1: error TS1005: ')' expected.\n",
    });
  });

  it('prints the route table with --dry-run and exits 0', async () => {
    const route = await runServ(['create', 'route', '--name', 'hello'], { cwd: dir });
    expect(route.code).toBe(0);
    const result = await runServ(['launch', '--dry-run'], { cwd: dir, env: cache });
    expect(result).toMatchObject({
      code: 0,
      stdout: [
        'METHOD  PATH      HANDLER             SOURCE',
        'WS      /ws/echo  EchoHandler.handle  extensions/chat/extension.yaml routers[0].routes[0]',
        'GET     /hello    HelloRoute.get      extensions/chat/route_hello.ts:5',
        '2 routes: 1 HTTP, 1 WebSocket',
        '',
      ].join('\n'),
    });
    const routes = await runServ(['routes'], { cwd: dir, env: cache });
    expect(routes).toMatchObject({ code: 0, stdout: result.stdout });
  });

  it('reads another config file with --config', async () => {
    const other = makeTempDir();
    try {
      const result = await runServ(['routes', '--config', join(dir, 'serv.config.yaml')], { cwd: other, env: cache });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('/ws/echo');
    } finally {
      removeTempDir(other);
    }
  });

  it('exits 1 with a hint when there is no serv.config.yaml', async () => {
    const empty = makeTempDir();
    try {
      const result = await runServ(['launch'], { cwd: empty });
      expect(result).toMatchObject({ code: 1, stderr: 'serv.config.yaml: not found (create it with "serv create app", or pass --config with the right path)\n' });
    } finally {
      removeTempDir(empty);
    }
  });

  it('reports the load time and TypeScript cache use with --dev', async () => {
    const ownCache = cacheEnv(dir);
    server = launch(['--port', '0', '--dev'], ownCache);
    await server.listening();
    await server.waitFor(/Loaded in \d+ ms \(TypeScript: 2 compiled, 0 cached, \d+ ms\)/);
    await server.stop();
    server = launch(['--port', '0', '--dev'], ownCache);
    await server.waitFor(/Loaded in \d+ ms \(TypeScript: 0 compiled, 2 cached, \d+ ms\)/);
  });
});
