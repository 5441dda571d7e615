import * as path from 'node:path';
import { ConfigError } from '../config/config-error';
import type { SettingSpec } from '../config/setting-spec';
import {
  choicesText, expectBool, expectInt, expectKnownKeys, expectList, expectMapping, expectOneOf, expectString, expectStringList,
  fail, isUnset, itemAt, keyAt, optional, type At,
} from '../config/validate';

/** Where sessions are kept: one process's memory, the app's SQLite file (default) or Redis. */
export type SessionStoreSettings =
  | { kind: 'memory' }
  | { kind: 'sqlite'; path: string }
  | { kind: 'redis'; url: string; keyPrefix: string };

/** `settings.sessions`, resolved: every key filled in. */
export interface SessionSettings {
  /** Signing secrets, at least 32 bytes each: the first signs new cookies, all of them verify (rotation). */
  secret: string[];
  store: SessionStoreSettings;
  /** The cookie's name. Default "serv_session". */
  cookieName: string;
  /** Lifetime of a session in seconds, in the cookie and on the server. Default 1209600 (14 days). */
  maxAgeS: number;
  /** `Secure` cookie: `'auto'` (default) sets it on requests that arrived over TLS. */
  secure: 'auto' | boolean;
  /** Other origins allowed to send unsafe requests and session-carrying handshakes, e.g. "https://app.example.com". */
  trustedOrigins: string[];
  /** Where the block was written (file and key path), for startup errors. */
  source: At;
}

/** What `createApp({ settings: { sessions } })` accepts: a secret (or list), the rest optional. */
export type SessionSettingsInput = Partial<Omit<SessionSettings, 'secret' | 'store'>> & {
  secret?: string | string[];
  store?: SessionStoreSettings['kind'] | Partial<SessionStoreSettings>;
};

/** The shortest secret accepted, in bytes (HMAC-SHA256 wants at least its output size). */
export const MIN_SECRET_BYTES = 32;
const STORE_KINDS = ['memory', 'sqlite', 'redis'] as const;
const KEYS = ['secret', 'store', 'cookie_name', 'max_age_s', 'secure', 'trusted_origins'];
const MAKE_ONE = `node -e "console.log(require('node:crypto').randomBytes(32).toString('base64url'))"`;

/** The `sessions` row of the settings table (off unless written). */
export const SESSIONS_SETTING: SettingSpec = { key: 'sessions', field: 'sessions', defaultValue: undefined, read: readSessions };

function readSessions(value: unknown, at: At, dir: string): SessionSettingsInput {
  const block = expectMapping(value, at);
  expectKnownKeys(block, at, KEYS);
  const out: SessionSettingsInput = { source: at };
  const secretAt = keyAt(at, 'secret');
  if (!isUnset(block.secret)) out.secret = typeof block.secret === 'string' ? block.secret : expectStringList(block.secret, secretAt);
  if (!isUnset(block.store)) out.store = readStore(block.store, keyAt(at, 'store'), dir);
  const cookieName = optional(block.cookie_name, keyAt(at, 'cookie_name'), expectString);
  if (cookieName !== undefined) out.cookieName = cookieName;
  const maxAge = optional(block.max_age_s, keyAt(at, 'max_age_s'), (v, a) => expectInt(v, a, 1));
  if (maxAge !== undefined) out.maxAgeS = maxAge;
  const secure = optional(block.secure, keyAt(at, 'secure'), (v, a) => (v === 'auto' ? 'auto' : expectBool(v, a)));
  if (secure !== undefined) out.secure = secure;
  const trusted = optional(block.trusted_origins, keyAt(at, 'trusted_origins'), expectStringList);
  if (trusted !== undefined) out.trustedOrigins = trusted;
  return out;
}

// `store: redis` or `store: { kind: redis, url, key_prefix }`; a relative SQLite path resolves against the config's folder.
function readStore(value: unknown, at: At, dir: string): Partial<SessionStoreSettings> {
  if (typeof value === 'string') {
    const kind = expectOneOf(value, at, STORE_KINDS);
    return kind === 'sqlite' ? { kind, path: path.resolve(dir, './data/serv.db') } : { kind };
  }
  const block = expectMapping(value, at);
  expectKnownKeys(block, at, ['kind', 'path', 'url', 'key_prefix']);
  const kind = expectOneOf(block.kind, keyAt(at, 'kind'), STORE_KINDS);
  if (kind === 'sqlite') {
    return { kind, path: path.resolve(dir, optional(block.path, keyAt(at, 'path'), expectString) ?? './data/serv.db') };
  }
  if (kind === 'redis') {
    const store: Partial<SessionStoreSettings> & { kind: 'redis' } = { kind };
    const url = optional(block.url, keyAt(at, 'url'), expectString);
    const prefix = optional(block.key_prefix, keyAt(at, 'key_prefix'), expectString);
    if (url !== undefined) store.url = url;
    if (prefix !== undefined) store.keyPrefix = prefix;
    return store;
  }
  return { kind };
}

/**
 * Fill in the defaults and check what only the whole picture can tell: a secret must exist (from the file or
 * `SERV_SESSION_SECRET`) and be at least 32 bytes. Errors name the file and key where the block was written.
 */
export function resolveSessionSettings(input: SessionSettingsInput, env: NodeJS.ProcessEnv = process.env): SessionSettings {
  const source = input.source ?? { file: undefined, keyPath: 'settings.sessions' };
  const at = source;
  const secretAt = keyAt(at, 'secret');
  const raw = input.secret ?? (env.SERV_SESSION_SECRET?.trim() || undefined);
  if (raw === undefined) {
    throw ConfigError.misplaced(secretAt.file, secretAt.keyPath,
      `is missing: sessions need a signing secret of at least ${MIN_SECRET_BYTES} bytes, written there or in SERV_SESSION_SECRET; make one with: ${MAKE_ONE}`);
  }
  const secrets = typeof raw === 'string' ? [raw] : expectList(raw, secretAt).map((s, i) => expectString(s, itemAt(secretAt, i)));
  if (secrets.length === 0) fail(secretAt, `be a secret or a non-empty list of secrets (make one with: ${MAKE_ONE})`, secrets);
  secrets.forEach((secret, i) => {
    if (Buffer.byteLength(secret) < MIN_SECRET_BYTES) {
      const where = secrets.length === 1 && typeof raw === 'string' ? secretAt : itemAt(secretAt, i);
      // Never quote a secret back, not even a short one: say how long it is instead.
      throw ConfigError.misplaced(where.file, where.keyPath,
        `is ${Buffer.byteLength(secret)} bytes long; a session secret must be at least ${MIN_SECRET_BYTES} bytes (make one with: ${MAKE_ONE})`);
    }
  });
  return {
    secret: secrets,
    store: resolveStore(input.store, keyAt(at, 'store')),
    cookieName: input.cookieName ?? 'serv_session',
    maxAgeS: input.maxAgeS ?? 1_209_600,
    secure: input.secure ?? 'auto',
    trustedOrigins: input.trustedOrigins ?? [],
    source,
  };
}

function resolveStore(store: SessionSettingsInput['store'], at: At): SessionStoreSettings {
  const given = typeof store === 'string' ? { kind: store } : (store ?? {});
  const kind = given.kind ?? 'sqlite';
  if (!(STORE_KINDS as readonly string[]).includes(kind)) {
    fail(keyAt(at, 'kind'), `be ${choicesText(STORE_KINDS.map((k) => JSON.stringify(k)))}`, kind);
  }
  if (kind === 'memory') return { kind };
  if (kind === 'sqlite') return { kind, path: path.resolve((given as { path?: string }).path ?? './data/serv.db') };
  const redis = given as { url?: string; keyPrefix?: string };
  return { kind: 'redis', url: redis.url ?? 'redis://127.0.0.1:6379', keyPrefix: redis.keyPrefix ?? 'serv:' };
}
