/**
 * The README's "A taste" snippet, run exactly as the README shows it: its TypeScript saved as app.ts, and its
 * `npx @serv/cli …` command line run with the built `serv` (what `npx @serv/cli` starts in this repository).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';
import { assertBuilt, makeTempDir, removeTempDir, ServProcess } from '../helpers/serv-process';

jest.setTimeout(60_000);

const README = readFileSync(resolve(__dirname, '..', '..', '..', '..', 'README.md'), 'utf8');

/** The first fenced block of `language` after `heading`. */
function blockAfter(heading: string, language: string): string {
  const section = README.slice(README.indexOf(heading));
  const match = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(section);
  if (match === null) throw new Error(`README.md has no \`\`\`${language} block after "${heading}"`);
  return match[1]!;
}

describe('README "A taste"', () => {
  let dir: string;
  let server: ServProcess | undefined;

  beforeAll(() => assertBuilt());
  beforeEach(() => {
    dir = makeTempDir('serv-readme-');
  });
  afterEach(async () => {
    await server?.stop('SIGINT');
    server = undefined;
    removeTempDir(dir);
  });

  it('runs as shown: serv run app.ts serves the JSON route and the WebSocket echo', async () => {
    writeFileSync(join(dir, 'app.ts'), blockAfter('## A taste', 'ts'));
    const command = blockAfter('## A taste', 'sh').split('\n')[0]!.replace(/\s+#.*$/, '');
    expect(command).toBe('npx @serv/cli run app.ts');
    const args = command.split(' ').slice(2);

    // PORT=0: the snippet reads PORT so that a test never needs a fixed port.
    server = new ServProcess(args, { cwd: dir, env: { PORT: '0', SERV_TS_CACHE_DIR: join(dir, '.ts-cache') } });
    const [, url] = await server.waitFor(/Listening on (http:\/\/127\.0\.0\.1:\d+)/);
    const res = await fetch(`${url}/users/42`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: 42, name: 'user-42' });

    const ws = new WebSocket(`${url!.replace('http', 'ws')}/ws`);
    const reply = new Promise<string>((resolveReply, reject) => {
      ws.once('message', (data) => resolveReply(String(data)));
      ws.once('error', reject);
    });
    ws.once('open', () => ws.send('hi'));
    expect(await reply).toBe('Echo: hi');
    ws.close();
    await new Promise((closed) => ws.once('close', closed));
    expect(server.stderr).toBe('');
  });
});
