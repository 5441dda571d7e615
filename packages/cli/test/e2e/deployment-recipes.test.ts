/**
 * docs/deployment.md's systemd unit and container recipe, checked without systemd or Docker running: the unit through
 * `systemd-analyze verify`, the Dockerfile by running its RUN, CMD and HEALTHCHECK commands in a folder laid out like
 * its WORKDIR (the repository's packages standing in for `npm ci --omit=dev`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deploymentBlock } from '../helpers/nginx';
import { assertBuilt, childEnv, makeTempDir, removeTempDir } from '../helpers/serv-process';

jest.setTimeout(60_000);

const ROOT_MODULES = resolve(__dirname, '..', '..', '..', '..', 'node_modules');
const FIXTURE = resolve(__dirname, '..', 'fixtures', 'nginx');
const UNIT = '# /etc/systemd/system/serv@.service';
const DOCKERFILE = '# Dockerfile';

/** The Dockerfile's instructions, continuation lines joined. */
function instructions(text: string): Array<{ op: string; args: string }> {
  return text
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => {
      const [op, ...rest] = line.split(' ');
      return { op: op!, args: rest.join(' ') };
    });
}

/** Runs `argv` in `cwd`; resolves with the exit code and output. */
function run(argv: string[], cwd: string, env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((done) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd, env: childEnv(env) });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('close', (code) => done({ code, out }));
  });
}

describe('docs/deployment.md: the systemd unit', () => {
  const analyze = spawnSync('systemd-analyze', ['--version']).status === 0;
  if (!analyze && process.env.CI === 'true') throw new Error('systemd-analyze is missing: apt-get install -y systemd (it only parses the unit)');
  if (!analyze) console.warn('SKIPPED the systemd unit check: systemd-analyze is missing (apt-get install -y systemd)');
  const maybe = analyze ? it : it.skip;
  let dir: string;
  afterEach(() => removeTempDir(dir));

  maybe('passes systemd-analyze verify as an instance (serv@8001)', () => {
    dir = makeTempDir('serv-unit-');
    // The unit names /usr/bin/node (Debian's); verify checks that it is executable, so point it at this Node.
    const unit = deploymentBlock('ini', UNIT).replace('ExecStart=/usr/bin/node ', `ExecStart=${process.execPath} `);
    writeFileSync(join(dir, 'serv@8001.service'), unit);
    const result = spawnSync('systemd-analyze', ['verify', join(dir, 'serv@8001.service')], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('docs/deployment.md: the container recipe', () => {
  let dir: string;
  beforeAll(assertBuilt);
  afterEach(() => removeTempDir(dir));

  it('builds its TypeScript cache with the RUN line, serves with CMD on SERV_PORT, and passes its HEALTHCHECK', async () => {
    dir = makeTempDir('serv-image-');
    const steps = instructions(deploymentBlock('dockerfile', DOCKERFILE));
    expect(steps.find((s) => s.op === 'FROM')?.args).toBe('node:20-slim');
    expect(steps.filter((s) => s.op === 'RUN')[0]?.args).toContain('npm ci --omit=dev');
    // WORKDIR after `npm ci`: the repository's installed packages, linked one by one (node_modules/.cache stays here).
    mkdirSync(join(dir, 'node_modules'));
    for (const entry of readdirSync(ROOT_MODULES)) if (entry !== '.cache') symlinkSync(join(ROOT_MODULES, entry), join(dir, 'node_modules', entry));
    cpSync(join(FIXTURE, 'extensions'), join(dir, 'extensions'), { recursive: true });
    writeFileSync(join(dir, 'serv.config.yaml'), 'extensions: [chat]\nsettings:\n  sessions: { store: memory }\n');
    const env: Record<string, string> = { SERV_SESSION_SECRET: 'a'.repeat(48) };
    for (const match of (steps.find((s) => s.op === 'ENV')?.args ?? '').matchAll(/(\w+)=(\S+)/g)) env[match[1]!] = match[2]!;
    expect(env).toMatchObject({ SERV_HOST: '0.0.0.0', SERV_PORT: '8000' });
    Object.assign(env, { SERV_HOST: '127.0.0.1', SERV_PORT: '0' }); // tests bind the loopback on a free port

    const warm = steps.filter((s) => s.op === 'RUN')[1]!.args.replace(/\s*>\s*\/dev\/null$/, '');
    expect(await run(warm.split(' '), dir, env)).toMatchObject({ code: 0 });
    expect(readdirSync(join(dir, 'node_modules', '.cache', 'serv-ts')).length).toBeGreaterThan(0);

    const cmd = JSON.parse(steps.find((s) => s.op === 'CMD')!.args) as string[];
    const server = spawn(cmd[0]!, cmd.slice(1), { cwd: dir, env: childEnv(env) });
    try {
      const port = await new Promise<string>((done, fail) => {
        let out = '';
        server.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /Serv listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
          if (match !== null) done(match[1]!);
        });
        server.on('close', (code) => fail(new Error(`the image's CMD exited ${code} before listening: ${out}`)));
      });
      const check = steps.find((s) => s.op === 'HEALTHCHECK')!.args;
      const probe = JSON.parse(check.slice(check.indexOf('CMD ') + 4).replace('127.0.0.1:8000', `127.0.0.1:${port}`)) as string[];
      expect(await run(probe, dir, env)).toEqual({ code: 0, out: '' });
    } finally {
      const exited = new Promise((done) => server.on('close', (code) => done(code)));
      server.kill(steps.find((s) => s.op === 'STOPSIGNAL')!.args as NodeJS.Signals);
      expect(await exited).toBe(0); // a graceful stop
    }
  });
});
