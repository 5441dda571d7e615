import { createApp, displayPath, Get, Inject, loadProject, Logger, parseServConfig, Route, Session } from '@serv/core';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SECRET, useTempDir } from './helpers';

const MAKE_ONE = `make one with: node -e "console.log(require('node:crypto').randomBytes(32).toString('base64url'))"`;

@Route('/me')
class MeRoute {
  @Get() me(@Inject() session: Session) {
    return session.user ?? null;
  }
}

describe('settings.sessions', () => {
  const tmp = useTempDir('serv-session-settings-');

  async function startWith(sessionsYaml: string, env: NodeJS.ProcessEnv = {}): Promise<void> {
    const file = join(tmp.dir, 'serv.config.yaml');
    writeFileSync(file, `settings:\n  port: 0\n  sessions:\n${sessionsYaml}`);
    const saved = process.env.SERV_SESSION_SECRET;
    if (env.SERV_SESSION_SECRET === undefined) delete process.env.SERV_SESSION_SECRET;
    else process.env.SERV_SESSION_SECRET = env.SERV_SESSION_SECRET;
    try {
      const app = await loadProject({ cwd: tmp.dir, logger: new Logger('test', 'silent'), env });
      try {
        await app.start();
      } finally {
        await app.close();
      }
    } finally {
      if (saved === undefined) delete process.env.SERV_SESSION_SECRET;
      else process.env.SERV_SESSION_SECRET = saved;
    }
  }

  it('refuses to start without a secret, naming the file and key and how to make one', async () => {
    await expect(startWith('    store: memory\n')).rejects.toThrow(
      `${displayPath(join(tmp.dir, 'serv.config.yaml'))}: settings.sessions.secret is missing: sessions need a signing secret of at least 32 bytes, written there or in SERV_SESSION_SECRET; ${MAKE_ONE}`,
    );
  });

  it('takes the secret from SERV_SESSION_SECRET', async () => {
    await expect(startWith('    store: memory\n', { SERV_SESSION_SECRET: SECRET })).resolves.toBeUndefined();
  });

  it('refuses a secret shorter than 32 bytes without quoting it', async () => {
    const error = await startWith('    secret: hunter2\n    store: memory\n').catch((err: Error) => err);
    expect((error as Error).message).toBe(
      `${displayPath(join(tmp.dir, 'serv.config.yaml'))}: settings.sessions.secret is 7 bytes long; a session secret must be at least 32 bytes (${MAKE_ONE})`,
    );
    expect((error as Error).message).not.toContain('hunter2');
    await expect(startWith(`    secret: ["${SECRET}", "short"]\n    store: memory\n`)).rejects.toThrow(
      'settings.sessions.secret[1] is 5 bytes long',
    );
  });

  it('refuses an unknown store kind, naming the file and key', () => {
    const file = join(tmp.dir, 'serv.config.yaml');
    expect(() => parseServConfig(`settings:\n  sessions:\n    secret: ${SECRET}\n    store: mongo\n`, file)).toThrow(
      `${displayPath(file)}: settings.sessions.store must be "memory", "sqlite" or "redis", got "mongo"`,
    );
    expect(() => parseServConfig(`settings:\n  sessions:\n    secret: ${SECRET}\n    store: { kind: postgres }\n`, file)).toThrow(
      `${displayPath(file)}: settings.sessions.store.kind must be "memory", "sqlite" or "redis", got "postgres"`,
    );
    expect(() => parseServConfig(`settings:\n  sessions:\n    secret: ${SECRET}\n    cookie: x\n`, file)).toThrow(
      `${displayPath(file)}: settings.sessions.cookie is not a known key; allowed keys: secret, store, cookie_name, max_age_s, secure, trusted_origins`,
    );
  });

  it('puts the SQLite file next to serv.config.yaml by default', () => {
    const config = parseServConfig(`settings:\n  sessions:\n    secret: ${SECRET}\n    store: sqlite\n`, join(tmp.dir, 'serv.config.yaml'));
    expect(config.settings.sessions?.store).toEqual({ kind: 'sqlite', path: join(tmp.dir, 'data', 'serv.db') });
  });

  it('makes injecting Session with sessions off a startup error naming the handler', async () => {
    const app = createApp({ routes: [MeRoute], logger: new Logger('test', 'silent') });
    await expect(app.start()).rejects.toThrow(
      /^Cannot resolve parameter #0 of MeRoute\.me \(@Route on MeRoute .*\): Session needs sessions turned on; add to serv\.config\.yaml settings: sessions: \{ secret: … \}/,
    );
    await app.close();
  });
});

describe('a store driver that is not installed', () => {
  it('is a startup error naming the setting and the package to install', () => {
    // The real lookup with a package that does not exist: what a user without better-sqlite3 or redis gets.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { requireDriver } = require('../../src/sessions/require-driver') as typeof import('../../src/sessions/require-driver');
    expect(() => requireDriver('serv-no-such-driver', 'serv-no-such-driver@1', 'serv.config.yaml: settings.sessions.store')).toThrow(
      'serv.config.yaml: settings.sessions.store needs the "serv-no-such-driver" package, which is not installed; run: npm install serv-no-such-driver@1 (or choose another store)',
    );
  });
});
