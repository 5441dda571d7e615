import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { ProxyTrust } from '@serv/core';
import { WebSocket as WsWebSocket } from 'ws';
import { CloseCode } from '../connection/close-codes';

/**
 * The one place where Serv reads private fields of `ws` and of Node for speed. Everything here has a public-API
 * twin that is used instead when the installed `ws` is not the version these fields were verified against, when
 * its objects do not have the expected shape, or when a test forces it (`useWsPublicApi`).
 *
 * What is read, and why:
 * - `ws` socket `_sender._state`, `_extensions`, `_socket`: small frames are written straight to the TCP socket as
 *   one buffer (frame-writer.ts); public twin: `ws.send()` for every frame.
 * - the `Symbol('status-code')` `ws` puts on protocol errors: the close code it sent (1007, 1009…); public twin: the
 *   error's documented `code` string (`WS_ERR_INVALID_UTF8`…).
 * - `ws` Receiver `_fragmented`, `_state`, `_bufferedBytes`: whether a message is half received, for
 *   `message_timeout_ms`; there is no public twin, so when the fields are missing the message timeout is off.
 * - Node `socket._handle.getpeername()` (through `ProxyTrust.peerOfSocket`): the peer address without
 *   `remoteAddress`, which keeps a `_peername` object per socket for its whole life; public twin: `remoteAddress` /
 *   `remotePort`.
 */

/** The `ws` minor version the private fields were verified against; package.json pins `ws` to it (`~8.23.0`). */
export const VERIFIED_WS_VERSION = /^8\.23\.\d+$/;

/** `ws` Sender `_state` in which it has nothing queued (not deflating, not reading a Blob). */
const SENDER_IDLE = 0;

/** The private fields of a `ws` socket that the direct frame path reads. */
interface RawSocketFields {
  readonly _sender: { readonly _state: number } | null;
  readonly _extensions: Readonly<Record<string, unknown>>;
  readonly _socket: DirectSocket | null;
}

/** What the direct frame path calls on the TCP socket under a `ws` socket (a `net.Socket` / `tls.TLSSocket`). */
export interface DirectSocket {
  readonly writableCorked: number;
  readonly writableLength: number;
  write(chunk: Buffer): boolean;
  cork(): void;
  uncork(): void;
}

/** Why the private fields are not used, or null while they are. */
let fallbackReason: string | null = startupCheck();
/** The first upgraded socket is checked too (the startup check cannot see a live sender). */
let liveChecked = false;

/** What the startup self-check found: the installed `ws` version and whether its private fields are used. */
export function wsInternalsStatus(): { readonly wsVersion: string; readonly usingInternals: boolean; readonly reason: string | null } {
  return { wsVersion: installedWsVersion(), usingInternals: fallbackReason === null, reason: fallbackReason };
}

/**
 * Use only the public APIs of `ws` and Node from now on (true), or go back to the self-checked private fields
 * (false: the startup check runs again). Used by the tests that prove the fallback works.
 * @internal
 */
export function useWsPublicApi(publicOnly: boolean): void {
  fallbackReason = publicOnly ? 'forced by useWsPublicApi(true)' : startupCheck();
  liveChecked = false;
}

function installedWsVersion(): string {
  try {
    return String((require('ws/package.json') as { version?: unknown }).version);
  } catch {
    return 'unknown';
  }
}

/** Check the installed `ws` version and the shape of its socket and sender; returns why they do not fit, or null. */
function startupCheck(): string | null {
  const version = installedWsVersion();
  if (!VERIFIED_WS_VERSION.test(version)) return `ws ${version} is not the verified 8.23.x`;
  try {
    const probe = new (WsWebSocket as unknown as new (address: null, protocols: undefined, options: object) => RawSocketFields)(
      null,
      undefined,
      {},
    );
    if (!('_sender' in probe) || !('_socket' in probe) || typeof probe._extensions !== 'object') {
      return `ws ${version}: WebSocket has no _sender/_socket/_extensions`;
    }
    const SenderClass = (WsWebSocket as unknown as { Sender?: new (socket: unknown) => { _state?: unknown } }).Sender;
    if (typeof SenderClass !== 'function') return `ws ${version}: no Sender export`;
    if (new SenderClass({ write: () => true })._state !== SENDER_IDLE) return `ws ${version}: Sender has no idle _state`;
  } catch (err) {
    return `ws ${version}: probing its internals threw ${(err as Error).message}`;
  }
  return null;
}

/** Check a live upgraded socket once: its private transport must be the socket Serv handed to `ws`. */
function liveCheck(raw: WsWebSocket): boolean {
  liveChecked = true;
  const fields = raw as unknown as RawSocketFields;
  const sender = fields._sender;
  if (sender === null || typeof sender._state !== 'number' || fields._socket === null ||
      typeof fields._socket.write !== 'function' || typeof fields._socket.cork !== 'function' ||
      typeof fields._socket.uncork !== 'function' || typeof fields._extensions !== 'object') {
    fallbackReason = 'an upgraded ws socket does not have the expected _sender/_socket/_extensions';
    return false;
  }
  return true;
}

/**
 * The TCP socket under `raw`, when a message frame may be written to it directly: private fields in use,
 * permessage-deflate not negotiated and `ws`'s sender idle (its queue keeps frames in order). Otherwise null.
 */
export function directFrameSocket(raw: WsWebSocket): DirectSocket | null {
  if (fallbackReason !== null || (!liveChecked && !liveCheck(raw))) return null;
  const fields = raw as unknown as RawSocketFields;
  const sender = fields._sender;
  if (sender === null || sender._state !== SENDER_IDLE || fields._extensions['permessage-deflate'] !== undefined) {
    return null;
  }
  return fields._socket;
}

/**
 * The close code for an error `ws` emitted: the code it sent for a protocol error (1007 bad UTF-8, 1009 too big,
 * 1002…), else from the documented error code; 1006 for a socket write failure.
 */
export function closeCodeOfWsError(err: Error): number {
  const record = err as unknown as Record<string | symbol, unknown>;
  if (fallbackReason === null) {
    for (const key of Object.getOwnPropertySymbols(err)) {
      if (key.description === 'status-code' && typeof record[key] === 'number') return record[key] as number;
    }
  }
  const code = record.code;
  if (code === 'WS_ERR_INVALID_UTF8') return CloseCode.INVALID_PAYLOAD;
  if (code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') return CloseCode.MESSAGE_TOO_BIG;
  if (typeof code === 'string' && code.startsWith('WS_ERR_')) return CloseCode.PROTOCOL_ERROR;
  return CloseCode.ABNORMAL;
}

/** The peer's address and port: from the socket's handle (see `ProxyTrust.peerOfSocket`), else the public getters. */
export function peerAddress(socket: Duplex): { address?: string; port?: number } {
  if (fallbackReason === null) return ProxyTrust.peerOfSocket(socket);
  const net = socket as Partial<Socket>;
  return { address: net.remoteAddress, port: net.remotePort };
}

/** The `ws` Receiver fields read to tell whether a message is half received. */
interface ReceiverFields {
  /** Opcode of a fragmented message in progress, 0 when none. */
  readonly _fragmented: number;
  /** Parser state, 0 (GET_INFO) between frames. */
  readonly _state: number;
  /** Bytes received but not yet parsed into a frame. */
  readonly _bufferedBytes: number;
}

/**
 * True while a message is half received: a fragmented message without its final frame, or a frame cut short. False
 * when the installed `ws` lacks the Receiver fields (the message timeout is then off: there is no public way to know).
 */
export function hasUnfinishedMessage(raw: WsWebSocket): boolean {
  const r = (raw as unknown as { _receiver?: Partial<ReceiverFields> })._receiver;
  if (r === undefined || typeof r._fragmented !== 'number' || typeof r._state !== 'number' || typeof r._bufferedBytes !== 'number') {
    return false;
  }
  return r._fragmented !== 0 || r._state !== 0 || r._bufferedBytes > 0;
}
