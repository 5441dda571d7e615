import { Get, Param, Query, Route, UseGuards } from '@serv/core';
import { Rooms } from '@serv/websocket';
import { ApiError, apiErrors } from './api-error';
import { checkRoomName } from './names';
import { onlineUsers } from './presence';
import { recentMessages } from './recent-messages';
import { requireUser } from './require-user';
import { UserStore } from './user-store';

/** The room list and each room's stored history, for signed-in users. */
@Route('/api/rooms', { middleware: [apiErrors] })
@UseGuards(requireUser)
export class RoomRoutes {
  constructor(
    private readonly rooms: Rooms,
    private readonly store: UserStore,
  ) {}

  /** Rooms with someone in them now, plus rooms with history: `{ rooms: [{ name, members }] }`, busiest first. */
  @Get()
  async list(): Promise<unknown> {
    const names = new Set([...(await this.rooms.rooms()), ...(await this.store.roomNames())]);
    const rooms = await Promise.all([...names].map(async (name) => ({ name, members: (await onlineUsers(this.rooms, name)).length })));
    rooms.sort((a, b) => b.members - a.members || a.name.localeCompare(b.name));
    return { rooms };
  }

  /** `{ messages }`: the newest `limit` (≤ 100, default 50) stored messages below offset `before`, oldest first. */
  @Get('/{room}/history')
  async history(@Param('room') room: string, @Query('before') before?: string, @Query('limit') limit?: string): Promise<unknown> {
    checkRoomName(room);
    const upTo = before === undefined ? undefined : integerParam('before', before, 1, Number.MAX_SAFE_INTEGER);
    const count = limit === undefined ? 50 : integerParam('limit', limit, 1, 100);
    return { messages: await recentMessages(this.rooms, room, upTo, count) };
  }
}

function integerParam(name: string, value: string, min: number, max: number): number {
  const n = /^\d{1,16}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new ApiError(400, 'bad_request', `Query parameter "${name}" must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return n;
}
