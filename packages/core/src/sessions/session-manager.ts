import { displayPath, errorText } from '../config/config-error';
import { ServError } from '../errors/serv-error';
import type { BaseContext } from '../http/base-context';
import type { Logger } from '../logging/logger';
import { LruCache } from './lru-cache';
import { MemorySessionStore } from './memory-store';
import { RedisSessionStore } from './redis-store';
import { Session, type SessionBackend } from './session';
import { resolveSessionSettings, type SessionSettings, type SessionSettingsInput } from './session-settings';
import type { SessionStore } from './session-store';
import { newSessionId, signSessionId, verifySessionCookie } from './signed-cookie';
import { SqliteSessionStore } from './sqlite-store';

/** Verified cookies one process remembers (least recently used forgotten first). */
export const VERIFIED_CACHE_SIZE = 10_000;
/** Longer `Cookie` headers are remembered by the session cookie's value alone, which keeps the cache small. */
const HEADER_KEY_MAX = 1024;

/** How a cookie gets written back: the manager decides what, the HTTP stage knows where. */
export interface CookieWriter {
  set(name: string, value: string, maxAgeS: number): void;
  clear(name: string): void;
}

/**
 * One app's sessions: reads the signed cookie into a {@link Session}, saves what changed when the response is
 * sent, and remembers which open connections belong to which session (for `destroy({ closeSockets: true })`).
 */
export class SessionManager implements SessionBackend {
  private readonly connections = new Map<string, Set<BaseContext>>();
  private readonly verified = new LruCache<string, string>(VERIFIED_CACHE_SIZE);

  constructor(
    readonly settings: SessionSettings,
    private readonly store: SessionStore,
    /** The `store` key's location, named when the store cannot be opened. */
    private readonly where: string,
  ) {}

  /** Validate `settings.sessions` and pick its store (a missing driver fails here, at startup). */
  static create(input: SessionSettingsInput, logger: Logger): SessionManager {
    const settings = resolveSessionSettings(input);
    const where = `${settings.source.file === undefined ? '' : `${displayPath(settings.source.file)}: `}${settings.source.keyPath}.store`;
    const s = settings.store;
    const store =
      s.kind === 'memory' ? new MemorySessionStore()
        : s.kind === 'sqlite' ? new SqliteSessionStore(s.path, where)
          : new RedisSessionStore(s.url, s.keyPrefix, where, (message, err) => logger.error(message, err), (message) => logger.info(message));
    return new SessionManager(settings, store, where);
  }

  /** Open the store (connect, create the table); failing names the setting. */
  async open(): Promise<void> {
    try {
      await this.store.open();
    } catch (err) {
      throw new ServError('SERV_SESSION_STORE', `${this.where}: the session store cannot be opened: ${errorText(err)}`, { cause: err });
    }
  }

  /** Close the store. */
  close(): Promise<void> {
    return this.store.close();
  }

  /** Whether a networked store (Redis) is connected now; undefined for in-process stores, which cannot be down. */
  reachable(): boolean | undefined {
    return this.store.reachable?.();
  }

  /** The signed session id of a request's cookie, or undefined (no cookie, or tampered: then it is anonymous). */
  idOf(ctx: BaseContext): string | undefined {
    // A signature checked once stays checked (the secrets never change while the app runs): one HMAC per session,
    // not per request. A browser sends the same `Cookie` header request after request, so the whole header is the
    // key (no parsing either); the cache is bounded, and only genuine cookies get in, so forged ones cannot grow it.
    const header = ctx.header('cookie');
    if (header === undefined) return undefined;
    const byHeader = header.length <= HEADER_KEY_MAX;
    if (byHeader) {
      const known = this.verified.get(header);
      if (known !== undefined) return known;
    }
    const value = ctx.cookies[this.settings.cookieName];
    if (value === undefined) return undefined;
    // (A header value never holds a line feed, so the two kinds of key cannot meet.)
    const key = byHeader ? header : `\n${value}`;
    if (!byHeader) {
      const known = this.verified.get(key);
      if (known !== undefined) return known;
    }
    const id = verifySessionCookie(value, this.settings.secret);
    if (id !== undefined) this.verified.set(key, id);
    return id;
  }

  /** Whether the request carries a session cookie at all (signed or not): what cross-site checks care about. */
  hasCookie(ctx: BaseContext): boolean {
    return ctx.cookies[this.settings.cookieName] !== undefined;
  }

  /** Read the request's session: its stored record, or a new anonymous one (synchronously when the store is local). */
  load(ctx: BaseContext): Session | Promise<Session> {
    const id = this.idOf(ctx);
    if (id === undefined) return new Session(this, undefined, undefined);
    const record = this.store.get(id);
    if (record instanceof Promise) return record.then((r) => new Session(this, r === undefined ? undefined : id, r));
    return new Session(this, record === undefined ? undefined : id, record);
  }

  /** Save what the handler changed and write the cookie: new or regenerated sessions get a fresh id, destroyed ones a cleared cookie. */
  async commit(session: Session, cookies: CookieWriter | undefined): Promise<void> {
    const change = session.change;
    if (change === 'none') return;
    const old = session.previousId;
    if (old !== undefined) await this.store.delete(old);
    if (change === 'destroyed') {
      session.saved(undefined);
      cookies?.clear(this.settings.cookieName);
      return;
    }
    const fresh = session.isNew;
    const id = session.id ?? newSessionId();
    const record = session.toRecord(Date.now() + this.settings.maxAgeS * 1000);
    await this.store.set(id, record);
    session.saved(id);
    if (fresh) {
      const maxAgeS = Math.max(1, Math.round((record.expiresAt - Date.now()) / 1000));
      cookies?.set(this.settings.cookieName, signSessionId(id, this.settings.secret[0] as string), maxAgeS);
    }
  }

  /** A fresh session id. */
  newId(): string {
    return newSessionId();
  }

  /** Remember that `ctx` (an open connection) belongs to session `id`; returns the function that forgets it. */
  track(id: string, ctx: BaseContext): () => void {
    let set = this.connections.get(id);
    if (set === undefined) this.connections.set(id, (set = new Set()));
    set.add(ctx);
    return () => {
      set.delete(ctx);
      if (set.size === 0 && this.connections.get(id) === set) this.connections.delete(id);
    };
  }

  /** Close every open connection of session `id` (the contexts decide how: a WebSocket closes with 4401). */
  endConnections(id: string): void {
    const set = this.connections.get(id);
    if (set === undefined) return;
    this.connections.delete(id);
    for (const ctx of set) ctx.sessionEnded();
  }
}
