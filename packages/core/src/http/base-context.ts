import type { DependencyContainer } from 'tsyringe';
import type { App } from '../app/app';
import { ServError } from '../errors/serv-error';
import type { Session } from '../sessions/session';
import type { ClientAddress } from './proxy-trust';
import { parseCookies } from './cookies';
import { parseQuery, type QueryValues } from './query';

/** The params and settings of a context that has none (shared, frozen). */
export const EMPTY: Record<string, never> = Object.freeze(Object.create(null)) as Record<string, never>;

/**
 * What a context makes only when asked for: the parsed query and cookies, the child container, the session. Kept in
 * one object created on first use, so a context that needs none of them (an idle WebSocket connection, a plain
 * request) carries one empty field instead of four.
 */
class OnDemand {
  query: QueryValues | undefined = undefined;
  cookies: Record<string, string> | undefined = undefined;
  child: DependencyContainer | undefined = undefined;
  session: Session | undefined = undefined;
}

/**
 * What every request and every WebSocket connection shares: the app, path, query, headers,
 * cookies, route params and settings, and a child container created on first use and disposed at the end.
 */
export abstract class BaseContext {
  /** Path parameters of the matched route (`{id:int}` values are numbers). */
  abstract params: Record<string, string | number>;
  /** The request path without the query string. */
  abstract readonly path: string;
  /** The raw query string without `?`. */
  abstract readonly queryString: string;
  /** Merged router and route settings (`@Settings()`). */
  settings: Record<string, unknown> = EMPTY;
  private made: OnDemand | undefined = undefined;

  constructor(readonly app: App) {}

  /** Query values by name (the last one wins for repeated names). */
  get query(): QueryValues {
    const made = (this.made ??= new OnDemand());
    return (made.query ??= parseQuery(this.queryString));
  }

  /** Request cookies by name. */
  get cookies(): Record<string, string> {
    const made = (this.made ??= new OnDemand());
    return (made.cookies ??= parseCookies(this.header('cookie')));
  }

  /**
   * This request's id (the handshake's, for a WebSocket connection): generated, or the `x-request-id` a trusted
   * proxy sent; the response carries it as `x-request-id` and the request's log line as `reqId`.
   */
  abstract readonly requestId: string;

  /** The client's address and port: the TCP peer's, or the forwarded client's when `trust_proxy` trusts the peer. */
  abstract readonly client: ClientAddress;

  /** The scheme the client used (`http`/`https`, `ws`/`wss` for a WebSocket), honouring `trust_proxy`. */
  abstract readonly scheme: string;

  /** The host (and port) the client asked for: the `Host` header, or the forwarded host from a trusted proxy. */
  abstract readonly host: string;

  /** A request header by case-insensitive name; repeated headers are joined with `, `. */
  abstract header(name: string): string | undefined;

  /** The request's (or handshake's) headers, names in lower case. */
  abstract get headers(): Readonly<Record<string, string | string[] | undefined>>;

  /** The visitor's session (`settings.sessions`), what guards read; the same object `@Inject() session: Session` gives. */
  get session(): Session {
    const session = this.made?.session;
    if (session === undefined) {
      throw new ServError('SERV_SESSIONS_OFF', `ctx.session on ${this.path}: sessions are off; add settings.sessions: { secret: … } (see docs/auth.md)`);
    }
    return session;
  }

  /** @internal Set by the session stage before middleware, guards and the handler run. */
  attachSession(session: Session): void {
    (this.made ??= new OnDemand()).session = session;
  }

  /** Called when this context's session is destroyed with `closeSockets` (a WebSocket connection closes with 4401). */
  sessionEnded(): void {}

  /** This request's child container (created on first use), holding the request-scoped values. */
  get container(): DependencyContainer {
    const made = (this.made ??= new OnDemand());
    if (made.child === undefined) {
      made.child = this.app.container.createChildContainer();
      this.registerScoped(made.child);
    }
    return made.child;
  }

  /** Whether the child container was created (and so needs disposing). */
  get hasScope(): boolean {
    return this.made?.child !== undefined;
  }

  /** Registers this context's own values (the request, the WebSocket) into its child container. */
  protected abstract registerScoped(container: DependencyContainer): void;

  /** Dispose the child container, if one was created. */
  async dispose(): Promise<void> {
    const made = this.made;
    const child = made?.child;
    if (made === undefined || child === undefined) return;
    made.child = undefined;
    await child.dispose();
  }
}
