import { ApiError } from './api-error';

const USER_NAME = /^[A-Za-z0-9_.-]{1,32}$/;
const ROOM_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** Whether `room` is a room name this app accepts: 1–64 letters, digits, `_`, `.` or `-`. */
export function isRoomName(room: unknown): room is string {
  return typeof room === 'string' && ROOM_NAME.test(room) && room !== '.' && room !== '..';
}

/** The room name, or a 400 `bad_room` that says what to change. */
export function checkRoomName(room: string): string {
  if (isRoomName(room)) return room;
  throw new ApiError(400, 'bad_room', roomNameProblem(room));
}

/** Why `room` is not a room name, in words for the page. */
export function roomNameProblem(room: string): string {
  return `Room name ${JSON.stringify(room.slice(0, 80))} is not allowed: use 1 to 64 letters, digits, "_", "." or "-"`;
}

/** Checks a sign-up or login form; a 400 `bad_request` names the field and the rule. */
export function checkCredentials(form: unknown): { name: string; password: string } {
  if (form === null || typeof form !== 'object') {
    throw new ApiError(400, 'bad_request', 'Send a JSON body {"name": "...", "password": "..."}');
  }
  const { name, password } = form as Record<string, unknown>;
  if (typeof name !== 'string' || !USER_NAME.test(name)) {
    throw new ApiError(400, 'bad_request', 'The name must be 1 to 32 letters, digits, "_", "." or "-"');
  }
  if (typeof password !== 'string' || password.length < 8 || password.length > 200) {
    throw new ApiError(400, 'bad_request', 'The password must be 8 to 200 characters long');
  }
  return { name, password };
}
