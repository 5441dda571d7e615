/**
 * Open WebSocket connections counted per client address, so one address cannot take every `max_connections` slot.
 * The address is the one the hub was given for the handshake: the TCP peer's, or the client's as resolved by
 * the app's `trust_proxy`.
 */
export class PerIpLimit {
  private readonly _open = new Map<string, number>();
  private readonly _keys = new WeakMap<object, string>();

  constructor(
    /** Connections allowed per address; 0 means no limit (and nothing is counted). */
    readonly max: number,
  ) {}

  /** True when `address` already holds `max` open connections. */
  isFull(address: string): boolean {
    return this.max > 0 && (this._open.get(address) ?? 0) >= this.max;
  }

  /** Count `owner` against `address` until `release(owner)`. */
  add(address: string, owner: object): void {
    if (this.max === 0) return;
    this._open.set(address, (this._open.get(address) ?? 0) + 1);
    this._keys.set(owner, address);
  }

  /** Stop counting `owner` (its connection ended); a no-op for connections that were never counted. */
  release(owner: object): void {
    const address = this._keys.get(owner);
    if (address === undefined) return;
    this._keys.delete(owner);
    const open = (this._open.get(address) ?? 1) - 1;
    if (open <= 0) this._open.delete(address);
    else this._open.set(address, open);
  }
}
