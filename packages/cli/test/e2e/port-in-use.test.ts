import { once } from 'node:events';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { cacheEnv, scaffoldEchoApp } from '../helpers/scaffold-app';
import { assertBuilt, makeTempDir, removeTempDir, runServ } from '../helpers/serv-process';

jest.setTimeout(60_000);

describe('serv launch on a port that is already in use', () => {
  let dir: string;
  let holder: Server;
  let port: number;

  beforeAll(() => assertBuilt());
  beforeEach(async () => {
    dir = makeTempDir('serv-cli-inuse-');
    await scaffoldEchoApp(dir);
    holder = createServer();
    holder.listen(0, '127.0.0.1');
    await once(holder, 'listening');
    port = (holder.address() as AddressInfo).port;
  });
  afterEach(async () => {
    holder.close();
    await once(holder, 'close');
    removeTempDir(dir);
  });

  const message = (): string =>
    `Port ${port} on 127.0.0.1 is already in use (is another "serv launch" still running?). ` +
    `Stop that process, or pick another port: serv launch --port ${port + 1} (or --port 0 for any free port).\n`;

  it('exits 1 naming the port and the --port flag that avoids it', async () => {
    const result = await runServ(['launch', '--port', String(port)], { cwd: dir, env: cacheEnv(dir) });
    expect(result.code).toBe(1);
    expect(result.stderr.endsWith(message())).toBe(true);
  });

  it('with --reload, stops instead of waiting for a file change that cannot free the port', async () => {
    const result = await runServ(['launch', '--reload', '--port', String(port)], { cwd: dir, env: cacheEnv(dir) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message());
    expect(result.stderr.endsWith('Server exited with code 1; a file change cannot free the port, so --reload stops here.\n')).toBe(true);
    expect(result.stderr).not.toContain('waiting for a change');
  });
});
