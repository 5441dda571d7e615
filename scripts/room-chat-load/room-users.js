'use strict';
/**
 * The simulated users: who is in which room, and one `@serv/websocket/client` connection each to
 * `/ws/rooms/{room}` (the same resuming client the page uses, over the `ws` package with the session cookie), whose
 * frames are handed to the tally. Presence frames tell when every member of a room has joined.
 */

const path = require('node:path');
const { pathToFileURL } = require('node:url');
const WebSocket = require('ws');

/** Builds `users` users over `rooms` rooms (user i in room i mod rooms) with names unique to this run. */
function planUsers(runId, users, rooms) {
  const roomNames = Array.from({ length: rooms }, (_, r) => `load-${runId}-${r}`);
  const list = Array.from({ length: users }, (_, i) => ({
    index: i,
    name: `${runId}-${i}`,
    room: roomNames[i % rooms],
    slot: Math.floor(i / rooms),
    cookie: '',
  }));
  const members = new Map(roomNames.map((room) => [room, []]));
  for (const user of list) members.get(user.room).push(user);
  for (const user of list) {
    user.roomMembers = members.get(user.room);
    user.roomSize = user.roomMembers.length;
  }
  return { list, roomNames };
}

/** The `ws` class the client constructs: sends the user's session cookie and a same-origin Origin like a page does. */
function socketClassFor(user, origin, events) {
  return class UserSocket extends WebSocket {
    constructor(url, protocols) {
      super(url, protocols, { headers: { cookie: user.cookie }, origin, perMessageDeflate: false, handshakeTimeout: 30_000 });
      this.on('error', (error) => events.onSocketError(user, error));
      this.on('close', (code, reason) => events.onSocketClose(user, code, reason.toString()));
    }
  };
}

/**
 * Opens every user's connection; `events` gets `onEnvelope(user, envelope)`, `onFrame(user, frame)` for ephemeral
 * frames, `onSocketError`, `onSocketClose` and `onReconnect(user)`. Returns the connections (ServConnection).
 */
async function connectAll(baseUrl, users, events) {
  const clientPath = require.resolve('@serv/websocket/client', { paths: [path.resolve(__dirname, '..', '..')] });
  const { connect } = await import(pathToFileURL(clientPath).href);
  const wsBase = baseUrl.replace(/^http/, 'ws');
  return users.map((user) => {
    let opened = false;
    const conn = connect(`${wsBase}/ws/rooms/${encodeURIComponent(user.room)}`, {
      WebSocket: socketClassFor(user, baseUrl, events),
      onState: (state) => {
        if (state === 'open' && opened) events.onReconnect(user);
        if (state === 'open') opened = true;
      },
    });
    void (async () => {
      for await (const frame of conn) {
        if (typeof frame !== 'string') {
          events.onFrame(user, { type: 'binary' });
          continue;
        }
        let value;
        try {
          value = JSON.parse(frame);
        } catch {
          events.onFrame(user, { type: 'not-json', text: frame });
          continue;
        }
        if (value !== null && typeof value === 'object' && Number.isInteger(value.offset)) events.onEnvelope(user, value);
        else events.onFrame(user, value);
      }
    })();
    return conn;
  });
}

module.exports = { planUsers, connectAll };
