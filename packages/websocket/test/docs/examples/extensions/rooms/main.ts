import type { ConnectionContext, WebSocket } from '@serv/websocket';

export { RoomHandler } from '../../room-handler';

/** `handler: main:echoWebsocketHandler`: a plain function, called once per connection as (ws, ctx). */
export async function echoWebsocketHandler(ws: WebSocket, ctx: ConnectionContext): Promise<void> {
  const who = ctx.cookies.user ?? ctx.header('x-user') ?? 'anonymous';
  await ws.accept();
  ctx.app.logger.debug(`${who} opened ${ctx.path}`);
  const prefix = Buffer.from(`${String(ctx.settings.prefix)}${who}: `);
  for await (const message of ws) {
    // frame_type: binary → every message arrives as a Buffer and send() answers with binary frames.
    await ws.send(Buffer.concat([prefix, message as Buffer]));
  }
}
