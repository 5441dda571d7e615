import type { IncomingMessage } from 'node:http';
import { BlockList, isIP, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { forwardedHops, type ForwardedHop } from './forwarded';

/** `settings.trust_proxy`: off (`false`), every hop (`true`), the last N hops, or the proxies' addresses/CIDRs. */
export type TrustProxy = boolean | number | readonly string[];

/** A client's address and port (port 0 when a proxy did not say). */
export interface ClientAddress {
  readonly host: string;
  readonly port: number;
}

/** Where a request came from, after `trust_proxy`: the client, the scheme it used and the host it asked for. */
export interface RequestOrigin {
  readonly client: ClientAddress;
  /** `http` or `https` as the client used it. */
  readonly scheme: 'http' | 'https';
  /** The host (and port) the client asked for: `Host`, or the forwarded host from a trusted proxy. */
  readonly host: string;
}

/** The names `trust_proxy` accepts besides addresses and CIDRs, with the ranges they stand for. */
export const TRUST_PROXY_NAMES: Readonly<Record<string, readonly string[]>> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  private: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/**
 * Decides which hops of `X-Forwarded-For` / `Forwarded` to believe. The TCP peer is hop 0; the address a trusted
 * hop reports becomes the next hop; the walk stops at the first untrusted address, which is the client. With
 * `trust_proxy` off (the default) nothing forwarded is read at all: a client can write those headers too.
 */
export class ProxyTrust {
  private constructor(
    /** Whether the address at `hop` (0 = the TCP peer) is a proxy whose word is taken; null = trust nobody. */
    private readonly trusts: ((address: string, hop: number) => boolean) | null,
  ) {}

  /** Builds the check from a validated setting (see `readTrustProxy`). */
  static from(setting: TrustProxy): ProxyTrust {
    if (setting === false || setting === 0) return new ProxyTrust(null);
    if (setting === true) return new ProxyTrust(() => true);
    if (typeof setting === 'number') return new ProxyTrust((_address, hop) => hop < setting);
    const list = new BlockList();
    for (const entry of setting) {
      for (const range of TRUST_PROXY_NAMES[entry] ?? [entry]) addRange(list, range);
    }
    return new ProxyTrust((address) => {
      const family = isIP(address);
      return family !== 0 && list.check(address, family === 4 ? 'ipv4' : 'ipv6');
    });
  }

  /** Whether any proxy is trusted. */
  get enabled(): boolean {
    return this.trusts !== null;
  }

  /** The TCP peer's address (no proxy considered). */
  static peerOf(req: IncomingMessage): ClientAddress {
    const peer = ProxyTrust.peerOfSocket(req.socket);
    return { host: peer.address ?? '', port: peer.port ?? 0 };
  }

  /**
   * The TCP peer of `socket`, read from its handle rather than through `socket.remoteAddress`, which keeps a
   * `_peername` object on the socket for its whole life (the WebSocket side reads the handle for the same reason).
   * TLS sockets pass `getpeername` on to the TCP handle. A socket without a handle (closed) answers through the public
   * getters.
   */
  static peerOfSocket(socket: Duplex): { address?: string; port?: number } {
    const handle = (socket as { _handle?: { getpeername?(out: object): number } | null })._handle;
    if (handle !== undefined && handle !== null && typeof handle.getpeername === 'function') {
      const out: { address?: string; port?: number } = {};
      if (handle.getpeername(out) === 0) return out;
    }
    const net = socket as Partial<Socket>;
    return { address: net.remoteAddress, port: net.remotePort };
  }

  /** The client address, scheme and host of `req`, believing forwarded headers only from trusted hops. */
  resolve(req: IncomingMessage): RequestOrigin {
    const peer = ProxyTrust.peerOf(req);
    const scheme = (req.socket as Partial<TLSSocket>).encrypted === true ? 'https' : 'http';
    const host = req.headers.host ?? '';
    const trusts = this.trusts;
    if (trusts === null || !trusts(peer.host, 0)) return { client: peer, scheme, host };
    const hops = forwardedHops(req.headers);
    let chosen: ForwardedHop | undefined;
    for (let i = hops.length - 1, hop = 1; i >= 0; i--, hop++) {
      chosen = hops[i];
      if (!trusts(chosen.for, hop)) break;
    }
    if (chosen === undefined) return { client: peer, scheme, host };
    return {
      client: { host: chosen.for, port: chosen.port },
      scheme: chosen.proto ?? scheme,
      host: chosen.host ?? host,
    };
  }

  /** Whether the TCP peer of `req` is a trusted proxy (whose `x-request-id` is kept, say). */
  trustsPeer(req: IncomingMessage): boolean {
    return this.trusts !== null && this.trusts(req.socket.remoteAddress ?? '', 0);
  }

  /** The client's address alone (what the request log and the per-address WebSocket limit use). */
  clientAddress(req: IncomingMessage): string {
    return this.trusts === null ? (ProxyTrust.peerOfSocket(req.socket).address ?? '') : this.resolve(req).client.host;
  }
}

/** Adds an address or CIDR (already validated) to `list`. */
function addRange(list: BlockList, range: string): void {
  const [address, bits] = range.split('/') as [string, string | undefined];
  const type = isIP(address) === 4 ? 'ipv4' : 'ipv6';
  if (bits === undefined) list.addAddress(address, type);
  else list.addSubnet(address, Number(bits), type);
}
