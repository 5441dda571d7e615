import type { SessionRecord } from './session-store';

/**
 * Who is signed in: declare its fields once in your app (`declare module '@serv/core' { interface SessionUser {
 * id: number; name: string } }`) and `session.user` is typed everywhere.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface SessionUser {
  [key: string]: unknown;
}

/** Options of {@link Session.destroy}. */
export interface DestroyOptions {
  /** Also close this session's open WebSocket connections (in this process) with 4401 "Unauthorized". */
  closeSockets?: boolean;
}

/** What the session manager does for a session when asked; kept apart so that `Session` stays a plain object. */
export interface SessionBackend {
  /** Close the connections opened with session `id` (logout with `closeSockets`). */
  endConnections(id: string): void;
  /** A fresh, unguessable id. */
  newId(): string;
}

/** Set on a session by `regenerate()` / `destroy()`, read when the request ends. */
export type SessionChange = 'none' | 'data' | 'regenerated' | 'destroyed';

/**
 * The visitor's session (`settings.sessions`): inject it with `@Inject() session: Session` in HTTP and WebSocket
 * handlers, or read `ctx.session` in guards and middleware. Changes are saved when the handler's response is sent.
 *
 * @example
 * ```ts
 * @Post('/login') async login(@Body() form: LoginForm, @Inject() session: Session) {
 *   const user = await this.users.check(form.name, form.password);
 *   await session.regenerate();       // a new id at login (session fixation)
 *   session.user = { id: user.id, name: user.name };
 * }
 * ```
 */
export class Session {
  #id: string | undefined;
  #user: SessionUser | undefined;
  #data: Record<string, unknown>;
  #expiresAt: number | undefined;
  #change: SessionChange = 'none';
  #previousId: string | undefined;
  readonly #backend: SessionBackend;

  /** Made by the framework for each request and handshake; inject it instead. */
  constructor(backend: SessionBackend, id: string | undefined, record: SessionRecord | undefined) {
    this.#backend = backend;
    this.#id = id;
    this.#user = record?.user as SessionUser | undefined;
    this.#data = record?.data ?? {};
    this.#expiresAt = record?.expiresAt;
  }

  /** The session's id (a new one right after `regenerate()`), or undefined for a visitor whose session was never saved. */
  get id(): string | undefined {
    return this.#id;
  }

  /** Whether this session still needs a cookie: never saved, or given a new id by `regenerate()` in this request. */
  get isNew(): boolean {
    return this.#expiresAt === undefined;
  }

  /** The signed-in user, or undefined when anonymous. */
  get user(): SessionUser | undefined {
    return this.#user;
  }

  set user(user: SessionUser | undefined) {
    this.#user = user;
    this.#touch();
  }

  /** A stored value by key. */
  get<T = unknown>(key: string): T | undefined {
    return this.#data[key] as T | undefined;
  }

  /** Store a JSON value under `key`; `undefined` removes it. */
  set(key: string, value: unknown): void {
    if (value === undefined) delete this.#data[key];
    else this.#data[key] = value;
    this.#touch();
  }

  /**
   * A new id with the same data: call it at login (and at any privilege change) so that an id planted before login
   * (session fixation) is worthless afterwards. The old id is deleted from the store when the response is sent.
   */
  async regenerate(): Promise<void> {
    if (this.#change !== 'regenerated') this.#previousId ??= this.#id;
    this.#id = this.#backend.newId();
    this.#expiresAt = undefined;
    this.#change = 'regenerated';
  }

  /** End the session (logout): removed from the store and the cookie cleared when the response is sent. */
  async destroy(options: DestroyOptions = {}): Promise<void> {
    const id = this.#previousId ?? this.#id;
    this.#previousId ??= this.#id;
    this.#id = undefined;
    this.#user = undefined;
    this.#data = {};
    this.#change = 'destroyed';
    if (options.closeSockets === true && id !== undefined) this.#backend.endConnections(id);
  }

  /** @internal What changed, for the manager. */
  get change(): SessionChange {
    return this.#change;
  }

  /** @internal The id this request started with, when regenerate() or destroy() replaced it. */
  get previousId(): string | undefined {
    return this.#previousId;
  }

  /** @internal The record to save, expiring at `expiresAt` (kept from creation: the lifetime is absolute). */
  toRecord(defaultExpiresAt: number): SessionRecord {
    this.#expiresAt ??= defaultExpiresAt;
    return { user: this.#user, data: this.#data, expiresAt: this.#expiresAt };
  }

  /** @internal After saving under `id`. */
  saved(id: string | undefined): void {
    this.#id = id;
    this.#change = 'none';
    this.#previousId = undefined;
  }

  #touch(): void {
    if (this.#change === 'none') this.#change = 'data';
    if (this.#change === 'destroyed') {
      this.#change = 'regenerated';
      this.#id = this.#backend.newId();
    }
  }
}
