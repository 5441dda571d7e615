import { BaseContext, type App, type DependencyContainer } from '@serv/core';
import { WebSocket } from '../connection/websocket';

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
    super(app, ws.path, ws.queryString);
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
