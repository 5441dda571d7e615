import { tsconfigTemplate } from './templates';

/** What the files of a standalone project depend on: versions picked by the CLI that writes them. */
export interface StandaloneVersions {
  /** Version of @serv/cli, used for all three @serv packages (they are released together). */
  readonly serv: string;
  readonly typescript: string;
  /** Major version of Node the project is written on, for @types/node. */
  readonly nodeMajor: string;
}

/** `package.json` of a standalone project: the @serv packages, and the scripts a newcomer looks for. */
export function standalonePackageJson(name: string, versions: StandaloneVersions): string {
  const manifest = {
    name,
    version: '0.1.0',
    private: true,
    description: 'A Serv app',
    engines: { node: '>=20' },
    scripts: {
      start: 'serv launch',
      dev: 'serv launch --dev --reload',
      typecheck: 'serv check',
      test: 'node --require @serv/cli/register --test test/*.test.ts',
    },
    dependencies: {
      '@serv/cli': `^${versions.serv}`,
      '@serv/core': `^${versions.serv}`,
      '@serv/websocket': `^${versions.serv}`,
    },
    devDependencies: {
      '@types/node': `^${versions.nodeMajor}.0.0`,
      typescript: `~${versions.typescript}`,
    },
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** `tsconfig.json` of a standalone project: the options `serv launch` compiles with, over sources and tests. */
export const STANDALONE_TSCONFIG = tsconfigTemplate(['extensions/**/*.ts', 'test/**/*.ts'], ['node']);

/** `.gitignore` of a standalone project. */
export const STANDALONE_GITIGNORE = 'node_modules/\n';

/** `extensions/app/extension.yaml`: the manifest; the routes are the decorated classes of main.ts. */
export const STARTER_EXTENSION_YAML = `# The starter extension. Its routes are the decorated classes exported by main.ts (@Route, @WebSocketRoute):
# the decorator is the registration. Add routers here only for what a decorator does not say (a mount, config).
name: App
description: The starter routes written by "serv create app --standalone"
version: "0.1.0"
`;

/** `extensions/app/main.ts`: a text route and an echo WebSocket handler. */
export const STARTER_MAIN_TS = `import { Get, Inject, Route } from '@serv/core';
import { WebSocket, WebSocketRoute } from '@serv/websocket';

/** GET / answers with text. */
@Route('/')
export class HomeRoute {
  @Get()
  home(): string {
    return 'Hello from Serv';
  }
}

/** Echoes every text message on /ws/echo, prefixed with "Echo: ". */
@WebSocketRoute('/ws/echo')
export class EchoHandler {
  async handle(@Inject() ws: WebSocket): Promise<void> {
    await ws.accept();
    for await (const message of ws) {
      await ws.send(\`Echo: \${String(message)}\`);
    }
  }
}
`;

/** `test/app.test.ts`: node:test over real sockets, loading the project as \`serv launch\` does. */
export const STARTER_TEST_TS = `import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createTestClient, loadProject, type TestClient } from '@serv/core';
// Installs the WebSocket protocol (its routes and config keys) before the config is read; serv launch does this itself.
import '@serv/websocket';

let client: TestClient;

before(async () => {
  // env: {} keeps SERV_PORT and friends in your shell out of the test; the client listens on a free port.
  client = createTestClient(await loadProject({ cwd: join(__dirname, '..'), env: {} }));
});

after(async () => {
  if (client !== undefined) await client.close();
});

test('GET / answers with text', async () => {
  const res = await client.get('/');
  assert.equal(res.status, 200);
  assert.equal(res.text(), 'Hello from Serv');
});

test('the WebSocket echoes each message', async () => {
  const ws = await client.websocket('/ws/echo');
  await ws.send('hi');
  assert.equal(await ws.receiveText(), 'Echo: hi');
  await ws.close();
});
`;
