import { BaseContext, type App, type DependencyContainer } from '@serv/core';
import type { IncomingMessage } from 'node:http';
import { WebSocket } from '../connection/websocket';

/**
 * One WebSocket connection's context: params, settings, query, headers and cookies of the handshake, and a
 * child container (created on first use) holding the `WebSocket`. Plain-function handlers get it as `ctx`.
 */
export class ConnectionContext extends BaseContext {
  constructor(
    app: App,
    req: IncomingMessage,
    /** The connection. */
    readonly ws: WebSocket,
    path: string,
    queryString: string,
  ) {
    super(app, req, path, queryString);
  }

  protected registerScoped(container: DependencyContainer): void {
    container.register(WebSocket, { useValue: this.ws });
    container.register(ConnectionContext, { useValue: this });
  }
}
