import type { HistoryMessage, Rooms } from '@serv/websocket';

/**
 * The newest `limit` stored messages of `room` with an offset below `before` (all of them when `before` is not
 * given), oldest first: what a page shows on entry and each time it scrolls up.
 *
 * `rooms.history()` reads forward from `after`. A room's retained offsets are contiguous (retention trims only the
 * oldest), so the window below `before` is `[before - limit, before - 1]`; without `before`, the newest offset is
 * found first by probing with one-row reads.
 */
export async function recentMessages(rooms: Rooms, room: string, before: number | undefined, limit: number): Promise<HistoryMessage[]> {
  const upper = before ?? (await newestOffset(rooms, room)) + 1;
  if (upper <= 1) return [];
  return rooms.history(room, { after: Math.max(0, upper - 1 - limit), before: upper, limit });
}

/** The newest retained offset of `room`, or 0 when it has none. */
async function newestOffset(rooms: Rooms, room: string): Promise<number> {
  const [oldest] = await rooms.history(room, { limit: 1 });
  if (oldest === undefined) return 0;
  const exists = async (offset: number): Promise<boolean> =>
    (await rooms.history(room, { after: offset - 1, before: offset + 1, limit: 1 })).length > 0;
  // Gallop up from the oldest until an offset is missing, then bisect between the last hit and that miss.
  let low = oldest.offset;
  let step = 1;
  while (await exists(low + step)) {
    low += step;
    step *= 2;
  }
  let high = low + step; // missing
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (await exists(middle)) low = middle;
    else high = middle;
  }
  return low;
}
