import type { Rooms } from '@serv/websocket';

/** The distinct names of the users in `room` right now, on every instance, sorted. */
export async function onlineUsers(rooms: Rooms, room: string): Promise<string[]> {
  const names = new Set<string>();
  for (const member of await rooms.members(room)) {
    const user = (member.meta as { user?: unknown } | null)?.user;
    if (typeof user === 'string') names.add(user);
  }
  return [...names].sort();
}

/** Tells everyone in `room` who is there now: `{"type":"presence","members":[...]}`. */
export async function announcePresence(rooms: Rooms, room: string): Promise<void> {
  rooms.broadcast(room, { type: 'presence', members: await onlineUsers(rooms, room) });
}
