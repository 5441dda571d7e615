import { WebSocketState } from './frame-type';

/**
 * A connection's one state word. The low two bits are where the WebSocket is (what `ws.state` reports); the bits
 * above record the facts the end of a connection waits for. Every change goes through `Connection` (connection.ts).
 *
 *   CONNECTING ──accept()──▶ OPEN ──close() / peer close / error / timeout / overflow / terminate──▶ CLOSED
 *   CONNECTING ──close() before accept / refusal / client gone──────────────────────────────────────▶ CLOSED
 *   any state  ──transport closed──▶ +SOCKET_GONE        any state ──handler settled──▶ +HANDLER_DONE
 *   SOCKET_GONE and HANDLER_DONE both set ──▶ the connection has ended (its owner is told exactly once)
 * PEER_SEEN is the heartbeat's note: set by a message or a pong, cleared by a ping. Bits 8 and up belong to the
 * connection's inbox (inbox.ts), which shares the word.
 */
export const CONNECTING = 0;
export const OPEN = 1;
export const CLOSED = 2;
/** Mask of the public state bits. */
export const STATE_MASK = 3;
/** `accept()` completed at some point (the close is worth a log line). */
export const WAS_OPEN = 4;
/** The transport is closed: no event will come from it any more. */
export const SOCKET_GONE = 8;
/** The handler returned, threw, or was abandoned at shutdown. */
export const HANDLER_DONE = 16;
/** Heartbeat: the peer showed activity (a message or a pong) since the last ping. */
export const PEER_SEEN = 32;
/** Not a state: the client used TLS (directly, or as a trusted proxy says), kept here rather than in a field of its own. */
export const SECURE = 64;
/** Both facts an ended connection waits for. */
export const ENDED = SOCKET_GONE | HANDLER_DONE;

const PUBLIC_STATES: readonly WebSocketState[] = [
  WebSocketState.CONNECTING,
  WebSocketState.CONNECTED,
  WebSocketState.DISCONNECTED,
];

/** The `WebSocketState` a state word reports. */
export function publicState(word: number): WebSocketState {
  return PUBLIC_STATES[word & STATE_MASK] as WebSocketState;
}
