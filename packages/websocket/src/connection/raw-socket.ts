import { WebSocket as WsWebSocket, type RawData, type Server } from 'ws';

/** What a raw `ws` socket reports to the Serv connection that owns it. */
export interface RawSocketOwner {
  message(data: Buffer, isBinary: boolean): void;
  pong(): void;
  rawError(error: Error): void;
  rawClose(code: number, reason: Buffer): void;
}

/**
 * The `ws` socket class the hub's servers construct (`WebSocket` server option): a declared `owner` field keeps the
 * back-reference in-object, where adding a property later would grow every socket's property store.
 */
export class OwnedRawSocket extends WsWebSocket {
  /** The Serv connection this socket belongs to, set in the upgrade callback. */
  owner: RawSocketOwner | null = null;
}

/** A `ws` server (noServer mode) that builds `OwnedRawSocket`s. */
export type RawSocketServer = Server<typeof OwnedRawSocket>;

/** Attach the shared listeners (no closures per connection: `ws` calls them with `this` = the raw socket). */
export function listenToRawSocket(raw: OwnedRawSocket, owner: RawSocketOwner): void {
  raw.owner = owner;
  raw.on('message', onMessage as (data: RawData, isBinary: boolean) => void);
  raw.on('pong', onPong as () => void);
  raw.on('error', onError as (error: Error) => void);
  raw.on('close', onClose as (code: number, reason: Buffer) => void);
}

function onMessage(this: OwnedRawSocket, data: Buffer, isBinary: boolean): void {
  (this.owner as RawSocketOwner).message(data, isBinary);
}

function onPong(this: OwnedRawSocket): void {
  (this.owner as RawSocketOwner).pong();
}

function onError(this: OwnedRawSocket, error: Error): void {
  (this.owner as RawSocketOwner).rawError(error);
}

function onClose(this: OwnedRawSocket, code: number, reason: Buffer): void {
  (this.owner as RawSocketOwner).rawClose(code, reason);
}
