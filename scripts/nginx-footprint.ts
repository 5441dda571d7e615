/**
 * What one WebSocket costs behind nginx with docs/deployment.md's configuration: file descriptors and RSS in the nginx
 * workers and in the two `serv launch` instances, per connection (the sizing figures of docs/deployment.md).
 *
 *   npm run build && node -r ./packages/cli/dist/register scripts/nginx-footprint.ts [--connections N]
 *
 * Starts the nginx test's fixture app twice (memory broker, no Redis or PostgreSQL needed) behind a private nginx
 * running the documented configuration over TLS, opens one warm-up connection, reads every process's RSS
 * (/proc/PID/status) and open descriptors (/proc/PID/fd), opens N more WebSockets (default 2000, at most 200
 * handshakes at a time; each joins a room and gets its greeting), reads them again and prints (after − before) ÷ N.
 * Everything it starts is stopped before it exits.
 */
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';
import { documentedNginx, findOrInstallNginx, NginxProcess, TLS_DIR } from '../packages/cli/test/helpers/nginx';
import { freePorts } from '../packages/cli/test/helpers/free-ports';
import { makeTempDir, removeTempDir, ServProcess } from '../packages/cli/test/helpers/serv-process';

const ROOT = resolve(__dirname, '..');
const flag = process.argv.indexOf('--connections');
const COUNT = flag > 0 ? Number(process.argv[flag + 1]) : 2000;

interface Usage {
  rssKb: number;
  fds: number;
}

function usage(pids: number[]): Usage {
  let rssKb = 0;
  let fds = 0;
  for (const pid of pids) {
    rssKb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    fds += readdirSync(`/proc/${pid}/fd`).length;
  }
  return { rssKb, fds };
}

/** The nginx master's children (its workers). */
function workers(master: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      try {
        return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]) === master;
      } catch {
        return false;
      }
    });
}

function open(url: string, ca: Buffer): Promise<WebSocket> {
  return new Promise((done, fail) => {
    const ws = new WebSocket(url, { ca });
    ws.once('message', () => done(ws)); // the chat's greeting: joined
    ws.once('error', fail);
  });
}

async function main(): Promise<void> {
  const binary = findOrInstallNginx('nginx-footprint');
  if (binary === undefined) throw new Error('nginx is needed');
  const dir = makeTempDir('serv-footprint-');
  const servers: ServProcess[] = [];
  let nginx: NginxProcess | undefined;
  const sockets: WebSocket[] = [];
  try {
    cpSync(join(ROOT, 'packages', 'cli', 'test', 'fixtures', 'nginx', 'extensions'), join(dir, 'extensions'), { recursive: true });
    writeFileSync(join(dir, 'serv.config.yaml'), `extensions: [chat]\nsettings:\n  max_connections: ${COUNT + 100}\n  store: { kind: memory }\n  sessions: { store: memory }\n`);
    // NODE_OPTIONS with the semi-space size: serv serves in the process it starts (no relay), whose pid is measured.
    const env = { SERV_TS_CACHE_DIR: join(dir, '.ts-cache'), SERV_SESSION_SECRET: 'f'.repeat(48), NODE_OPTIONS: '--max-semi-space-size=32' };
    servers.push(...[0, 1].map(() => new ServProcess(['launch', '--port', '0'], { cwd: dir, env })));
    const [a, b] = await Promise.all(servers.map((s) => s.listening()));
    const [httpPort, port] = await freePorts(2);
    nginx = new NginxProcess(binary, join(dir, 'nginx'), documentedNginx({ upstreams: [a!.port, b!.port], httpPort: httpPort!, httpsPort: port! }));
    await nginx.ready();

    const ca = readFileSync(join(TLS_DIR, 'cert.pem'));
    const url = `wss://127.0.0.1:${port}/chat/footprint`;
    sockets.push(await open(url, ca)); // warm-up: lazily built state is not charged to connections
    const pids = { nginx: workers(nginx.child.pid!), serv: servers.map((s) => s.child.pid!) };
    const before = { nginx: usage(pids.nginx), serv: usage(pids.serv) };
    for (let opened = 0; opened < COUNT; opened += 200) {
      const batch = Math.min(200, COUNT - opened);
      sockets.push(...(await Promise.all(Array.from({ length: batch }, () => open(url, ca)))));
    }
    const after = { nginx: usage(pids.nginx), serv: usage(pids.serv) };
    const per = (x: Usage, y: Usage): string => `${((y.rssKb - x.rssKb) / COUNT).toFixed(2)} KB RSS, ${((y.fds - x.fds) / COUNT).toFixed(2)} descriptors`;
    console.log(`${COUNT} WebSockets through nginx (${pids.nginx.length} workers) to 2 serv launch instances, per connection:`);
    console.log(`  nginx workers: ${per(before.nginx, after.nginx)} (RSS ${before.nginx.rssKb} → ${after.nginx.rssKb} KB)`);
    console.log(`  serv instances: ${per(before.serv, after.serv)} (RSS ${before.serv.rssKb} → ${after.serv.rssKb} KB)`);
  } finally {
    for (const ws of sockets) ws.terminate();
    await nginx?.stop();
    await Promise.all(servers.map((s) => s.stop()));
    removeTempDir(dir);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
