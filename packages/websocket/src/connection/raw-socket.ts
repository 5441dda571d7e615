import { WebSocket as WsWebSocket, type Server } from 'ws';

/** What a raw `ws` socket reports to the Serv connection that owns it. */
export interface RawSocketOwner {
  message(data: Buffer, isBinary: boolean): void;
  /** A ping from the peer: the owner answers it (the hub's servers run `ws` with `autoPong: false`). */
  ping(data: Buffer): void;
  pong(): void;
  rawError(error: Error): void;
  rawClose(code: number, reason: Buffer): void;
}

/**
 * The `ws` socket class the hub's servers construct (`WebSocket` server option). A declared `owner` field keeps the
 * back-reference in-object (adding a property later would grow every socket's property store), and `emit` hands the
 * five events a connection needs (message, ping, pong, error, close) straight to the owner: no listener per socket, so an
 * idle connection carries no listener table (280 bytes of heap per connection less, docs/performance.md), and a
 * message skips `EventEmitter`'s dispatch. Listeners added by anyone else
 * still run, after the owner.
 */
export class OwnedRawSocket extends WsWebSocket {
  /** The Serv connection this socket belongs to, set in the upgrade callback. */
  owner: RawSocketOwner | null = lightened(this);

  // `ws` emits these with at most two arguments; other events (and any other listeners) go through EventEmitter.
  override emit(event: string | symbol, a?: unknown, b?: unknown): boolean {
    const owner = this.owner;
    if (owner !== null) {
      switch (event) {
        case 'message':
          owner.message(a as Buffer, b as boolean);
          break;
        case 'ping':
          owner.ping(a as Buffer);
          break;
        case 'pong':
          owner.pong();
          break;
        case 'error':
          owner.rawError(a as Error);
          break;
        case 'close':
          owner.rawClose(a as number, b as Buffer);
          break;
        default:
          return super.emit(event, ...(Array.prototype.slice.call(arguments, 1) as unknown[]));
      }
      return this.listenerCount(event) === 0 || super.emit(event, a, b);
    }
    return super.emit(event, ...(Array.prototype.slice.call(arguments, 1) as unknown[]));
  }
}

/** The extension table of every socket that negotiated none (read-only for `ws`: it only looks names up). */
const NO_EXTENSIONS: Readonly<Record<string, never>> = Object.freeze({});

/**
 * Lighten a new socket by two per-connection objects nobody needs: the empty listener table EventEmitter gave it (a
 * dictionary-mode object, ~180 bytes; Node's EventEmitter creates it again on the first `on()`, and `emit` and
 * `listenerCount` accept none; a serving socket's events go to its owner, so it never gets a listener), and the empty
 * `{}` of negotiated extensions `ws` gives every socket (56 bytes; its Receiver and Sender share it), replaced by one
 * frozen empty table. When permessage-deflate is negotiated, `ws` sets the socket's own table before using it.
 * Returns null: the owner's initial value.
 */
function lightened(socket: OwnedRawSocket): null {
  const fields = socket as unknown as { _events: undefined; _extensions: Readonly<Record<string, never>> };
  fields._events = undefined;
  fields._extensions = NO_EXTENSIONS;
  return null;
}

/** A `ws` server (noServer mode) that builds `OwnedRawSocket`s. */
export type RawSocketServer = Server<typeof OwnedRawSocket>;

/** Route the socket's events to `owner` (inside the upgrade callback, before any frame can be parsed: ws issue #1322). */
export function listenToRawSocket(raw: OwnedRawSocket, owner: RawSocketOwner): void {
  raw.owner = owner;
}
