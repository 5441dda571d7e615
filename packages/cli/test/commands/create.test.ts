import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { cacheEnv } from '../helpers/scaffold-app';
import { assertBuilt, makeTempDir, removeTempDir, runServ, ServProcess } from '../helpers/serv-process';

jest.setTimeout(20_000);

describe('serv create', () => {
  let dir: string;
  let server: ServProcess | undefined;
  const serv = (...args: string[]) => runServ(args, { cwd: dir, env: cacheEnv(dir) });
  const read = (...parts: string[]) => readFileSync(join(dir, ...parts), 'utf8');

  beforeAll(assertBuilt);
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(async () => {
    if (server !== undefined) await server.stop();
    server = undefined;
    removeTempDir(dir);
  });

  describe('app', () => {
    it('writes serv.config.yaml, tsconfig.json and an extensions folder', async () => {
      const result = await serv('create', 'app', '--name', 'Demo', '--non-interactive');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Created serv\.config\.yaml\nCreated tsconfig\.json\n/);
      expect(read('serv.config.yaml')).toContain('site_info:\n  name: "Demo"\n  description: "A new website powered by Serv"\n');
      expect(read('serv.config.yaml')).toContain('extensions: []\n');
      expect(read('serv.config.yaml')).toContain('settings:\n  host: "127.0.0.1"\n  port: 8000\n  debug: false\n  extension_dir: "./extensions"\n');
      expect(existsSync(join(dir, 'extensions'))).toBe(true);
      expect(JSON.parse(read('tsconfig.json'))).toMatchObject({ compilerOptions: { experimentalDecorators: true, emitDecoratorMetadata: true } });
    });

    it('warns, writes nothing and exits 1 when serv.config.yaml exists, unless --force', async () => {
      writeFileSync(join(dir, 'serv.config.yaml'), '# mine\n');
      const refused = await serv('create', 'app', '--non-interactive');
      expect(refused).toMatchObject({
        code: 1,
        stdout: '',
        stderr: 'Warning: serv.config.yaml already exists; nothing was written (use --force to overwrite).\n',
      });
      expect(read('serv.config.yaml')).toBe('# mine\n');
      expect(existsSync(join(dir, 'tsconfig.json'))).toBe(false);
      const forced = await serv('create', 'app', '--non-interactive', '--force');
      expect(forced.code).toBe(0);
      expect(forced.stdout).toContain('Overwrote serv.config.yaml\n');
    });
  });

  describe('extension', () => {
    beforeEach(async () => {
      await serv('create', 'app', '--non-interactive');
    });

    it('writes extension.yaml and main.ts and enables it, keeping the config comments', async () => {
      const result = await serv('create', 'extension', '--name', 'Chat Room', '--non-interactive');
      expect(result).toMatchObject({
        code: 0,
        stdout: 'Created extensions/chat_room/extension.yaml\nCreated extensions/chat_room/main.ts\nUpdated serv.config.yaml\n',
      });
      const spec = read('extensions', 'chat_room', 'extension.yaml');
      expect(spec).toContain('name: "Chat Room"\n');
      expect(spec).toContain('version: "1.0.0"\n');
      expect(read('serv.config.yaml')).toContain('# Serv application configuration.');
      expect(read('serv.config.yaml')).toContain('extensions:\n  - chat_room\n');
    });

    it('exits 2 without --name when stdin is not a terminal', async () => {
      expect(await serv('create', 'extension')).toMatchObject({
        code: 2,
        stderr: '"serv create extension" needs --name NAME (or run it in a terminal to be asked).\nRun "serv create extension --help" for usage.\n',
      });
    });

    it('exits 1 with a hint when there is no serv.config.yaml', async () => {
      const empty = makeTempDir();
      try {
        const result = await runServ(['create', 'extension', '--name', 'x'], { cwd: empty });
        expect(result).toMatchObject({ code: 1, stderr: 'serv.config.yaml: not found (create it with "serv create app", or pass --config with the right path)\n' });
      } finally {
        removeTempDir(empty);
      }
    });
  });

  describe('handlers', () => {
    beforeEach(async () => {
      await serv('create', 'app', '--non-interactive');
      await serv('create', 'extension', '--name', 'chat', '--non-interactive');
    });

    it('writes a decorated HTTP route with a default path and re-exports it from main.ts, leaving extension.yaml alone', async () => {
      const before = read('extensions', 'chat', 'extension.yaml');
      const result = await serv('create', 'route', '--name', 'Hello World');
      expect(result).toMatchObject({ code: 0, stdout: 'Created extensions/chat/route_hello_world.ts\nUpdated extensions/chat/main.ts\n' });
      expect(read('extensions', 'chat', 'route_hello_world.ts')).toContain("@Route('/hello_world')\nexport class HelloWorldRoute {\n  @Get()\n");
      expect(read('extensions', 'chat', 'main.ts')).toMatch(/\nexport \* from '\.\/route_hello_world';\n$/);
      expect(read('extensions', 'chat', 'extension.yaml')).toBe(before);
    });

    it('writes a decorated WebSocket handler under /ws/<name>, honours --path, and names it in YAML with --yaml or --router', async () => {
      expect((await serv('create', 'websocket', '--name', 'echo')).code).toBe(0);
      expect(read('extensions', 'chat', 'websocket_echo.ts')).toContain("@WebSocketRoute('/ws/echo')");
      expect(read('extensions', 'chat', 'websocket_echo.ts')).toContain('async handle(@Inject() ws: WebSocket): Promise<void> {');
      const yamlResult = await serv('create', 'websocket', '--name', 'room', '--path', 'rooms/{id}', '--router', 'rooms');
      expect(yamlResult).toMatchObject({ code: 0, stdout: 'Created extensions/chat/websocket_room.ts\nUpdated extensions/chat/extension.yaml\n' });
      expect(read('extensions', 'chat', 'websocket_room.ts')).toContain("@WebSocketRoute('/rooms/{id}')");
      expect((await serv('create', 'route', '--name', 'page', '--yaml')).code).toBe(0);
      const spec = read('extensions', 'chat', 'extension.yaml');
      expect(spec).toContain('  - name: rooms\n    routes:\n      - handler: websocket_room:RoomHandler\n');
      expect(spec).toContain('  - name: main_router\n    routes:\n      - handler: route_page:PageRoute\n');
      expect(read('extensions', 'chat', 'main.ts')).not.toContain('websocket_room');
    });

    it('adds listeners and middleware to their lists', async () => {
      expect((await serv('create', 'listener', '--name', 'audit')).code).toBe(0);
      expect((await serv('create', 'middleware', '--name', 'timing')).code).toBe(0);
      const spec = read('extensions', 'chat', 'extension.yaml');
      expect(spec).toContain('listeners:\n  - listener_audit:Audit\n');
      expect(spec).toContain('middleware:\n  - middleware_timing:timingMiddleware\n');
      expect(read('extensions', 'chat', 'listener_audit.ts')).toContain("@On('app.startup')");
      expect(read('extensions', 'chat', 'middleware_timing.ts')).toContain('export async function timingMiddleware(ctx: RequestContext, next: () => Promise<void>): Promise<void> {');
    });

    it('warns, writes nothing and exits 1 when the handler file exists', async () => {
      await serv('create', 'route', '--name', 'hello');
      const before = read('extensions', 'chat', 'main.ts');
      const again = await serv('create', 'route', '--name', 'hello', '--path', '/other');
      expect(again).toMatchObject({
        code: 1,
        stdout: '',
        stderr: 'Warning: extensions/chat/route_hello.ts already exists; nothing was written (use --force to overwrite).\n',
      });
      expect(read('extensions', 'chat', 'main.ts')).toBe(before);
      const forced = await serv('create', 'route', '--name', 'hello', '--path', '/other', '--force');
      expect(forced.code).toBe(0);
      expect(read('extensions', 'chat', 'main.ts').match(/export \* from '\.\/route_hello';/g)).toHaveLength(1);
      expect(read('extensions', 'chat', 'route_hello.ts')).toContain("@Route('/other')");
    });

    it('asks for --extension when there are several, and uses the current folder when it is an extension', async () => {
      await serv('create', 'extension', '--name', 'other', '--non-interactive');
      expect(await serv('create', 'route', '--name', 'hello')).toMatchObject({
        code: 2,
        stderr: 'Several extensions in extensions/ (chat, other); pass --extension NAME.\nRun "serv create route --help" for usage.\n',
      });
      expect((await serv('create', 'route', '--name', 'hello', '--extension', 'other')).stdout).toContain('Created extensions/other/route_hello.ts\n');
      const inside = await runServ(['create', 'listener', '--name', 'audit'], { cwd: join(dir, 'extensions', 'chat') });
      expect(inside).toMatchObject({ code: 0, stdout: 'Created listener_audit.ts\nUpdated extension.yaml\n' });
      expect(await serv('create', 'route', '--name', 'x', '--extension', 'nope')).toMatchObject({
        code: 1,
        stderr: 'No extension "nope" in extensions/ (there are: chat, other). To add it, create it with "serv create extension --name nope".\n',
      });
    });

    it('scaffolds an app whose every handler kind loads and answers with no edits', async () => {
      for (const kind of ['route', 'websocket', 'listener', 'middleware']) expect((await serv('create', kind, '--name', 'hello')).code).toBe(0);
      server = new ServProcess(['launch', '--port', '0'], { cwd: dir, env: cacheEnv(dir) });
      const { url, port } = await server.listening();
      const body = await new Promise<string>((resolve, reject) => {
        get(`${url}/hello`, { agent: false }, (response) => {
          let text = '';
          response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
          response.on('end', () => resolve(text));
        }).on('error', reject);
      });
      expect(body).toBe('Hello from hello');
      const reply = await runServ(['ws', `ws://127.0.0.1:${port}/ws/hello`, '--send', 'yo', '--expect', 'Echo: yo'], { cwd: dir });
      expect(reply.code).toBe(0);
    });
  });
});
