import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheEnv, scaffoldEchoApp } from '../helpers/scaffold-app';
import { assertBuilt, makeTempDir, removeTempDir, runServ, ServProcess } from '../helpers/serv-process';

jest.setTimeout(30_000);

describe('serv launch --reload', () => {
  let dir: string;
  let server: ServProcess | undefined;

  beforeAll(assertBuilt);
  beforeEach(async () => {
    dir = makeTempDir();
    await scaffoldEchoApp(dir);
  });
  afterEach(async () => {
    if (server !== undefined) await server.stop();
    server = undefined;
    removeTempDir(dir);
  });

  const ask = (port: number, expectText: string) =>
    runServ(['ws', `ws://127.0.0.1:${port}/ws/echo`, '--send', 'hi', '--expect', expectText], { cwd: dir });

  it('restarts on the same port when a handler source changes, and the next connection sees the new code', async () => {
    server = new ServProcess(['launch', '--port', '0', '--reload'], { cwd: dir, env: cacheEnv(dir) });
    const first = await server.listening();
    expect(await ask(first.port, 'Echo: hi')).toMatchObject({ code: 0 });

    const afterFirst = server.stdout.length;
    const handler = join(dir, 'extensions', 'chat', 'websocket_echo.ts');
    writeFileSync(handler, readFileSync(handler, 'utf8').replace('`Echo: ', '`Reloaded: '));
    await server.waitFor(/^Restarting: extensions\/chat\/websocket_echo\.ts changed$/m, 'stdout', afterFirst);
    const second = await server.listening(afterFirst);
    expect(second.port).toBe(first.port);
    expect(await ask(second.port, 'Reloaded: hi')).toMatchObject({ code: 0, stdout: '< Reloaded: hi\n' });

    expect(await server.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  });

  it('restarts when serv.config.yaml changes', async () => {
    server = new ServProcess(['launch', '--port', '0', '--reload'], { cwd: dir, env: cacheEnv(dir) });
    await server.listening();
    const afterFirst = server.stdout.length;
    const config = join(dir, 'serv.config.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace('name: "My Serv Site"', 'name: "Renamed"'));
    await server.waitFor(/^Restarting: serv\.config\.yaml changed$/m, 'stdout', afterFirst);
    await server.listening(afterFirst);
    expect(await server.stop('SIGINT')).toEqual({ code: 0, signal: null });
  });

  it('keeps watching after a broken edit and recovers on the next good one', async () => {
    server = new ServProcess(['launch', '--port', '0', '--reload'], { cwd: dir, env: cacheEnv(dir) });
    const first = await server.listening();
    const spec = join(dir, 'extensions', 'chat', 'extension.yaml');
    const good = readFileSync(spec, 'utf8');
    writeFileSync(spec, good.replace('websocket_echo:EchoHandler', 'websocket_echo:Gone'));
    await server.waitFor(/has no export "Gone" \(it exports: EchoHandler\)\n/, 'stderr');
    await server.waitFor(/Server exited with code 1; waiting for a change to restart it\.\n/, 'stderr');
    const afterBroken = server.stdout.length;
    writeFileSync(spec, good);
    const again = await server.listening(afterBroken);
    expect(again.port).toBe(first.port);
    expect(await ask(again.port, 'Echo: hi')).toMatchObject({ code: 0 });
  });
});
