'use strict';
/**
 * Extra loopback source addresses (127.0.0.2 … 127.0.0.9) for the idle test: each gives the client side its own
 * ephemeral port range, so tens of thousands of connections (plus TIME_WAIT leftovers of earlier runs) never run out
 * of ports. Linux routes all of 127/8 to loopback; elsewhere the list comes back empty and 127.0.0.1 alone is used.
 */

const net = require('node:net');

const CANDIDATES = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6', '127.0.0.7', '127.0.0.8', '127.0.0.9'];

function canBind(address) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(0, address, () => server.close(() => resolve(true)));
  });
}

/** The extra source addresses usable on this machine (possibly none). */
async function sourceAddresses() {
  const usable = [];
  for (const address of CANDIDATES) {
    if (await canBind(address)) usable.push(address);
  }
  return usable;
}

module.exports = { sourceAddresses };
