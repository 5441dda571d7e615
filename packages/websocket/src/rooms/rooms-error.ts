import { ServError } from '@serv/core';

/** Stable codes of the rooms layer's errors. */
export type RoomsErrorCode =
  | 'SERV_ROOMS_NAME'
  | 'SERV_ROOMS_ARGUMENT'
  | 'SERV_ROOMS_BROKER'
  | 'SERV_ROOMS_BROKER_DOWN'
  | 'SERV_ROOMS_STORE'
  | 'SERV_ROOMS_STORE_DOWN';

/** An error raised by `Rooms` or a broker: a bad room name or argument, a broker or message store that cannot start or is down. */
export class RoomsError extends ServError {
  declare readonly code: RoomsErrorCode;
  /** For `SERV_ROOMS_BROKER_DOWN` on `publish()`: how many members of this instance still got the message. */
  readonly deliveredLocally?: number;

  constructor(code: RoomsErrorCode, message: string, options?: { cause?: unknown; deliveredLocally?: number }) {
    super(code, message, options?.cause === undefined ? undefined : { cause: options.cause });
    if (options?.deliveredLocally !== undefined) this.deliveredLocally = options.deliveredLocally;
  }
}
