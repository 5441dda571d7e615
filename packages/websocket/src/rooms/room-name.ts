import { RoomsError } from './rooms-error';

/** Longest room name, in characters: names travel in every envelope and Redis key. */
export const MAX_ROOM_NAME_LENGTH = 128;

const ROOM_NAME = /^[A-Za-z0-9_.:@~-]+$/;

/** Throw `SERV_ROOMS_NAME` unless `room` is 1–128 characters of letters, digits and `_ . : @ ~ -`. */
export function assertRoomName(room: unknown, where: string): asserts room is string {
  if (typeof room !== 'string') {
    throw new RoomsError('SERV_ROOMS_NAME', `${where}: the room name must be a string, got ${room === null ? 'null' : typeof room}`);
  }
  if (room.length === 0 || room.length > MAX_ROOM_NAME_LENGTH) {
    throw new RoomsError(
      'SERV_ROOMS_NAME',
      `${where}: the room name must be 1 to ${MAX_ROOM_NAME_LENGTH} characters long, got ${room.length} (${JSON.stringify(room.slice(0, 40))}${room.length > 40 ? '…' : ''})`,
    );
  }
  if (!ROOM_NAME.test(room)) {
    const bad = [...room].find((c) => !ROOM_NAME.test(c)) as string;
    throw new RoomsError(
      'SERV_ROOMS_NAME',
      `${where}: the room name ${JSON.stringify(room)} contains ${JSON.stringify(bad)}; use letters, digits and _ . : @ ~ - only`,
    );
  }
}
