import type { App } from '@serv/core';
import { Rooms } from './rooms';

/**
 * The app's one `Rooms`: the singleton its container already built for a handler that injects it, or a new one
 * registered now, so plain-function handlers (`ctx.container.resolve(Rooms)`) get the same instance too.
 */
export function appRooms(app: App): Rooms {
  if (app.container.isRegistered(Rooms, false)) return app.container.resolve(Rooms);
  const rooms = new Rooms(app);
  app.container.register(Rooms, { useValue: rooms });
  return rooms;
}
