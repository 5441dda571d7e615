import type { App } from '@serv/core';

/** Resolves once `count` more WebSocket connections of `app` have ended (socket closed and handler settled). */
export function connectionEnds(app: App, count = 1): Promise<void> {
  return new Promise((resolve) => {
    let left = count;
    const off = app.on('app.websocket.end', () => {
      if (--left === 0) {
        off();
        resolve();
      }
    });
  });
}
