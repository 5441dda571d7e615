import { CloseCode } from './close-codes';
import type { Connection } from './connection';
import * as S from './connection-state';
import { WebSocketConnectionError } from './errors';
import type { WebSocketLog } from './hooks';

/**
 * What a connection does when its handler settles: a handler that returned leaves an open connection closed with
 * 1000 and an unanswered handshake refused with 403 (close 4403); one that threw closes with 1011, or refuses the
 * handshake with the error's own 4xx status (a bad query value, a failed auth check) or 500. Logged on `log`.
 */
export function applyHandlerOutcome(conn: Connection, log: WebSocketLog, threw: boolean, error: unknown): void {
  const state = conn.word & S.STATE_MASK;
  if (threw) {
    const endedByClose = error instanceof WebSocketConnectionError && state === S.CLOSED;
    if (endedByClose) log.debug(`WebSocket ${conn.path} handler ended by the closed connection: ${error.message}`);
    const status = handshakeStatus(error);
    if ((state !== S.CONNECTING || status >= 500) && !endedByClose) {
      const action = state === S.CONNECTING ? `refused the handshake with HTTP ${status}` : 'closed with 1011';
      log.error(`WebSocket handler for ${conn.path} threw; ${action}`, error);
    }
    if (state === S.CONNECTING) {
      const message = status < 500 && error instanceof Error ? error.message : 'Internal Server Error';
      conn.refuse(status, message, CloseCode.INTERNAL_ERROR, 'Internal server error');
    } else if (state === S.OPEN) {
      void conn.close(CloseCode.INTERNAL_ERROR, 'Internal server error');
    }
  } else if (state === S.CONNECTING) {
    log.debug(`WebSocket handler for ${conn.path} returned without calling accept() or close(); refusing`);
    conn.refuse(403, '', 4403, 'Handler returned without accepting the connection');
  } else if (state === S.OPEN) {
    void conn.close(CloseCode.NORMAL, '');
  }
}

/** The HTTP status a handshake refused by a thrown error gets: the error's own 4xx `status`, else 500. */
function handshakeStatus(error: unknown): number {
  const status = typeof error === 'object' && error !== null ? (error as { status?: unknown }).status : undefined;
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status < 500 ? status : 500;
}
