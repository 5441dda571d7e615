import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { OwnedRawSocket, RawSocketServer } from './raw-socket';
import { withRequestId } from './request-id-header';
import { withSubprotocol } from './subprotocol-choice';

const noop = (): void => undefined;

/**
 * What only exists between the upgrade request and `accept()` or a refusal: the request, the bytes read past its
 * head, and the socket listeners that notice a client gone before `ws` takes the socket over. Dropped at accept.
 */
export class PendingHandshake {
  constructor(
    private readonly socket: Duplex,
    private readonly req: IncomingMessage,
    private readonly head: Buffer,
    /** Called if the socket closes first. */
    private readonly onClose: () => void,
  ) {
    socket.on('close', onClose);
    // Until ws owns the socket, an error on it (a reset peer) is ours to swallow; 'close' follows.
    socket.on('error', noop);
  }

  /** Let `ws` complete the handshake with `subprotocol` (and `x-request-id`, unless ''); `attach` runs synchronously if the socket was upgraded. */
  upgrade(server: RawSocketServer, subprotocol: string | null, requestId: string, attach: (raw: OwnedRawSocket) => void): void {
    withRequestId(requestId, () => withSubprotocol(subprotocol, () => server.handleUpgrade(this.req, this.socket, this.head, attach)));
  }

  /** Remove the listeners: from now on `ws` (or nobody, after a refusal) watches the socket. */
  drop(): void {
    this.socket.removeListener('close', this.onClose);
    this.socket.removeListener('error', noop);
  }
}
