import type { RoomMember } from './broker';

/** Set by the `serv launch --workers` primary on its workers: their memory broker relays through it. */
export const ROOMS_RELAY_ENV = 'SERV_ROOMS_RELAY';

/** Tag of every rooms message on the worker ↔ primary IPC channel (which carries other messages too). */
export const ROOMS_TAG = 'serv:rooms';

/** A worker's request to the primary. `id` is set when the worker awaits a reply. */
export type WorkerToPrimary =
  | { tag: typeof ROOMS_TAG; op: 'join'; id: number; room: string; member: RoomMember }
  | { tag: typeof ROOMS_TAG; op: 'leave'; room: string; memberId: string }
  | { tag: typeof ROOMS_TAG; op: 'broadcast'; room: string; text: string; binary: boolean }
  | { tag: typeof ROOMS_TAG; op: 'relay'; room: string; offset: number; text: string }
  | { tag: typeof ROOMS_TAG; op: 'members'; id: number; room: string }
  | { tag: typeof ROOMS_TAG; op: 'rooms'; id: number };

/** The primary's message to a worker: a delivery for its local members, or a reply. */
export type PrimaryToWorker =
  | { tag: typeof ROOMS_TAG; op: 'deliver'; room: string; text: string; binary: boolean; offset?: number }
  | { tag: typeof ROOMS_TAG; op: 'reply'; id: number; result: null | RoomMember[] | string[] };

/** Whether an IPC message is a rooms message. */
export function isRoomsMessage(message: unknown): message is { tag: typeof ROOMS_TAG; op: string } {
  return typeof message === 'object' && message !== null && (message as { tag?: unknown }).tag === ROOMS_TAG;
}

/** Bytes travel the JSON IPC channel as base64, text as itself. */
export function encodePayload(payload: Buffer, binary: boolean): string {
  return binary ? payload.toString('base64') : payload.toString();
}

/** The inverse of `encodePayload`. */
export function decodePayload(text: string, binary: boolean): Buffer {
  return binary ? Buffer.from(text, 'base64') : Buffer.from(text);
}
