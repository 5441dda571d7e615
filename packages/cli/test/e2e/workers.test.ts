import { writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { cacheEnv, useEchoAppWithRoute } from '../helpers/scaffold-app';
import { runServ } from '../helpers/serv-process';

jest.setTimeout(30_000);

const PID_ROUTE = `import { Get, Route } from '@serv/core';

@Route('/pid')
export class PidRoute {
  @Get()
  get(): string {
    return String(process.pid);
  }
}
`;

// A fresh connection per request (no keep-alive agent), so the cluster primary hands each one to the next worker.
function fetchText(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

describe('serv launch --workers', () => {
  const app = useEchoAppWithRoute('pid', PID_ROUTE);

  it('serves HTTP and WebSocket connections from two processes on one port and exits 0 on SIGTERM', async () => {
    const server = app.launch(['launch', '--port', '0', '--workers', '2']);
    const { url, port } = await server.listening();
    const workersLine = await server.waitFor(/^2 workers \(pids (\d+), (\d+)\)$/m);
    const workerPids = new Set([workersLine[1], workersLine[2]]);
    expect(server.stdout.match(/Serv listening on/g)).toHaveLength(1);

    const seen = new Set<string>();
    for (let i = 0; i < 20 && seen.size < 2; i += 1) seen.add(await fetchText(`${url}/pid`));
    expect(seen).toEqual(workerPids);

    const reply = await runServ(['ws', `ws://127.0.0.1:${port}/ws/echo`, '--send', 'hi', '--expect', 'Echo: hi'], { cwd: app.dir });
    expect(reply.code).toBe(0);
    expect(await server.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  });

  it('prints a load error once and exits 1 when the workers cannot load the app', async () => {
    writeFileSync(join(app.dir, 'serv.config.yaml'), 'extensions: [missing_one]\n');
    const result = await runServ(['launch', '--port', '0', '--workers', '2'], { cwd: app.dir, env: cacheEnv(app.dir) });
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n').filter((line) => line.includes('missing_one'))).toHaveLength(1);
  });
});
