import { Get, HtmlResponse, type HandlerContext } from '@serv/core';
import type { WebSocket } from '@serv/websocket';
import { CHAT_PAGE } from './page';

/** Serves the chat page (registered at `/` by extension.yaml). */
export class ChatPageRoute {
  /** The whole page: markup, inline CSS and the WebSocket client script. */
  @Get()
  page(): HtmlResponse {
    return new HtmlResponse(CHAT_PAGE);
  }
}

/**
 * Echoes every message back on the same connection (registered at `/ws` by extension.yaml):
 * text as `Echo: <text>`, binary frames byte for byte (a prefix would corrupt binary data).
 */
export async function echoWebsocketHandler(ws: WebSocket, ctx: HandlerContext): Promise<void> {
  await ws.accept();
  const { logger } = ctx.app;
  logger.info(`websocket_chat: ${ws.client.host}:${ws.client.port} connected`);
  let count = 0;
  try {
    for await (const message of ws) {
      await ws.send(typeof message === 'string' ? `Echo: ${message}` : message);
      count += 1;
    }
  } finally {
    logger.info(`websocket_chat: ${ws.client.host}:${ws.client.port} disconnected after ${count} message(s)`);
  }
}
