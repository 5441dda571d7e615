import { BaseContext, type App, type ClientAddress, type DependencyContainer } from '@serv/core';
import { connectionOf, WebSocket } from '../connection/websocket';

/**
 * One WebSocket connection's context: params, settings, query, headers and cookies of the handshake, and a
 * child container (created on first use) holding the `WebSocket`. Plain-function handlers get it as `ctx`.
 */
export class ConnectionContext extends BaseContext {
  constructor(
    app: App,
    /** The connection. */
    readonly ws: WebSocket,
  ) {
    super(app);
  }

  // Path, query and params are read from the connection rather than kept twice (one field each per idle connection).
  get path(): string {
    return this.ws.path;
  }

  get queryString(): string {
    return this.ws.queryString;
  }

  get params(): Record<string, string | number> {
    return this.ws.params as Record<string, string | number>;
  }

  set params(params: Record<string, string | number>) {
    this.ws.params = params;
  }

  get requestId(): string {
    return this.ws.requestId;
  }

  get client(): ClientAddress {
    return this.ws.client;
  }

  /** `ws` or `wss` (the latter also when a trusted proxy says the client used https). */
  get scheme(): 'ws' | 'wss' {
    return connectionOf(this.ws).secure ? 'wss' : 'ws';
  }

  get host(): string {
    return connectionOf(this.ws).requestHost;
  }

  /** A handshake header by name (case-insensitive) (the request itself is not kept, to keep idle connections small). */
  header(name: string): string | undefined {
    return this.ws.headers[name.toLowerCase()];
  }

  get headers(): Readonly<Record<string, string>> {
    return this.ws.headers;
  }

  /** Logout elsewhere with `session.destroy({ closeSockets: true })`: this connection ends with 4401. */
  override sessionEnded(): void {
    void this.ws.close(4401, 'Unauthorized');
  }

  protected registerScoped(container: DependencyContainer): void {
    container.register(WebSocket, { useValue: this.ws });
    container.register(ConnectionContext, { useValue: this });
  }
}
