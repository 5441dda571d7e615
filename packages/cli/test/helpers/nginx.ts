import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** docs/deployment.md, whose tested blocks the nginx test runs. */
export const DEPLOYMENT_DOC = resolve(__dirname, '..', '..', '..', '..', 'docs', 'deployment.md');

/** The fenced block of `language` in docs/deployment.md whose first line is `firstLine`, without that line. */
export function deploymentBlock(language: string, firstLine: string): string {
  const doc = readFileSync(DEPLOYMENT_DOC, 'utf8');
  const blocks = [...doc.matchAll(new RegExp('^```' + language + '\\n([\\s\\S]*?)^```', 'gm'))].map((m) => m[1]!);
  const block = blocks.find((text) => text.startsWith(`${firstLine}\n`));
  if (block === undefined) throw new Error(`docs/deployment.md has no \`\`\`${language} block starting with "${firstLine}"`);
  return block.slice(firstLine.length + 1);
}

/** `text` with the one occurrence of `from` replaced; throws when it occurs zero times or more than once. */
function replaceOnce(text: string, from: string, to: string): string {
  const count = text.split(from).length - 1;
  if (count !== 1) throw new Error(`expected "${from}" once in the documented nginx configuration, found it ${count} times`);
  return text.replace(from, () => to);
}

/** The TLS certificate and key nginx serves in tests (CN and SAN 127.0.0.1, valid until 2126). */
export const TLS_DIR = resolve(__dirname, '..', '..', '..', 'websocket', 'test', 'integration', 'fixtures', 'tls');

/** Where the documented configuration is made to run on this machine. */
export interface SiteTarget {
  /** The ports of the two instances, in place of 8001 and 8002. */
  readonly upstreams: readonly [number, number];
  /** nginx's plain HTTP port (in place of 80) and TLS port (in place of 443), on 127.0.0.1. */
  readonly httpPort: number;
  readonly httpsPort: number;
}

/**
 * docs/deployment.md's nginx blocks, changed only where a test must: the instances' ports, nginx's own ports on
 * 127.0.0.1 and the test certificate. Returns what NginxProcess takes: the main-context lines and the site.
 */
export function documentedNginx(target: SiteTarget): { main: string; site: string } {
  let site = deploymentBlock('nginx', '# /etc/nginx/conf.d/serv.conf');
  site = replaceOnce(site, '127.0.0.1:8001', `127.0.0.1:${target.upstreams[0]}`);
  site = replaceOnce(site, '127.0.0.1:8002', `127.0.0.1:${target.upstreams[1]}`);
  site = replaceOnce(site, 'listen 80;', `listen 127.0.0.1:${target.httpPort};`);
  site = replaceOnce(site, 'listen 443 ssl;', `listen 127.0.0.1:${target.httpsPort} ssl;`);
  site = replaceOnce(site, '/etc/letsencrypt/live/chat.example.com/fullchain.pem', join(TLS_DIR, 'cert.pem'));
  site = replaceOnce(site, '/etc/letsencrypt/live/chat.example.com/privkey.pem', join(TLS_DIR, 'key.pem'));
  return { main: deploymentBlock('nginx', '# /etc/nginx/nginx.conf (main context)'), site };
}

const NGINX_PATHS = ['/usr/sbin/nginx', '/usr/bin/nginx'];

/**
 * The nginx binary; installs Debian's `nginx` package when it is missing (as `.ci/run` does). Throws with `CI=true`
 * when that fails; otherwise warns loudly and returns undefined (the suite then skips).
 */
export function findOrInstallNginx(suite: string): string | undefined {
  const found = NGINX_PATHS.find((path) => existsSync(path));
  if (found !== undefined) return found;
  console.warn(`${suite}: nginx is missing; installing Debian's nginx package (apt-get install -y nginx)`);
  // RUNLEVEL=1 keeps the package's postinst from starting the system nginx on port 80.
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive', RUNLEVEL: '1' };
  const update = spawnSync('apt-get', ['update', '-qq'], { env, encoding: 'utf8' });
  const install = update.status === 0 ? spawnSync('apt-get', ['install', '-y', '-qq', 'nginx'], { env, encoding: 'utf8' }) : update;
  const installed = NGINX_PATHS.find((path) => existsSync(path));
  if (installed !== undefined) return installed;
  const why = `apt-get exited ${install.status}: ${(install.stderr ?? '').trim() || install.error?.message}`;
  if (process.env.CI === 'true') throw new Error(`${suite} needs nginx, which is missing and could not be installed (${why})`);
  console.warn(`SKIPPED ${suite}: nginx is missing and could not be installed (${why}); install it with: apt-get install -y nginx`);
  return undefined;
}

/**
 * A private nginx: its own main configuration in `dir` (never the system's /etc/nginx/nginx.conf), in the foreground
 * (`daemon off`), with its pid file, logs and temporary files under `dir`.
 */
export class NginxProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stderr = '';
  private readonly exited: Promise<void>;
  private done = false;
  private readonly waiters = new Set<() => void>();

  /** `main` goes in the main context, `site` inside the `http {}` block (see `documentedNginx`). */
  constructor(binary: string, readonly dir: string, { main, site }: { main: string; site: string }) {
    mkdirSync(dir, { recursive: true });
    const conf = join(dir, 'nginx.conf');
    const temp = (name: string): string => `${name}_temp_path ${join(dir, name)};`;
    writeFileSync(
      conf,
      [
        'daemon off;',
        // Started as root, nginx would run its workers as nobody, who cannot enter the test's private temp folder.
        ...(process.getuid?.() === 0 ? ['user root;'] : []),
        `pid ${join(dir, 'nginx.pid')};`,
        'error_log stderr notice;', // "start worker process" at notice level is how the test knows it is listening
        main,
        'http {',
        `    access_log ${join(dir, 'access.log')};`,
        `    ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n    ')}`,
        site,
        '}',
        '',
      ].join('\n'),
    );
    this.child = spawn(binary, ['-p', dir, '-c', conf, '-e', 'stderr']);
    this.child.stdout.resume();
    this.child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
      this.notify();
    });
    this.exited = new Promise((done) =>
      this.child.on('close', () => {
        this.done = true;
        this.notify();
        done();
      }),
    );
  }

  /** Resolves once nginx has opened its listening sockets and started its workers; rejects if it exits first. */
  ready(): Promise<void> {
    return new Promise((done, fail) => {
      const check = (): boolean => {
        if (/start worker process/.test(this.stderr)) done();
        else if (this.done) fail(new Error(`nginx exited before starting its workers:\n${this.stderr}`));
        else return false;
        return true;
      };
      if (check()) return;
      const waiter = (): void => {
        if (check()) this.waiters.delete(waiter);
      };
      this.waiters.add(waiter);
    });
  }

  /** Fast shutdown (SIGTERM: open connections are closed at once); resolves once the master has exited. */
  stop(): Promise<void> {
    if (!this.done) this.child.kill('SIGTERM');
    return this.exited;
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
