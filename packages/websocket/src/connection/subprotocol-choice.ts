/**
 * `ws` picks the subprotocol through a server-wide `handleProtocols` callback, but Serv lets each handler choose
 * in `accept(subprotocol)`. `handleUpgrade()` calls the callback synchronously (no `verifyClient` is set), so the
 * choice is parked here for exactly the duration of that call.
 */
let pending: string | null = null;

/** Run `upgrade` (a synchronous `handleUpgrade()` call) with `subprotocol` as the answer to the client's offer. */
export function withSubprotocol<T>(subprotocol: string | null, upgrade: () => T): T {
  pending = subprotocol;
  try {
    return upgrade();
  } finally {
    pending = null;
  }
}

/** The `handleProtocols` option for every hub server: the parked choice if the client offered it, else none. */
export function chooseSubprotocol(offered: Set<string>): string | false {
  return pending !== null && offered.has(pending) ? pending : false;
}
