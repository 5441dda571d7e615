import { envelopeText } from '../rooms/envelope';
import type { Broker, BrokerSink, PublishAck, RoomMember } from './broker';

/**
 * The default broker for one process: the sink's members are all the members there are, and each room's offsets
 * come from a counter in this process (a new `epoch` per process, since the counter starts over with it).
 */
export class MemoryBroker implements Broker {
  private _sink: BrokerSink | null = null;
  private readonly _offsets = new Map<string, number>();

  constructor(private readonly _epoch: string) {}

  start(sink: BrokerSink): Promise<void> {
    this._sink = sink;
    return Promise.resolve();
  }

  join(): Promise<string> {
    return Promise.resolve(this._epoch);
  }

  leave(): void {
    // Presence is the sink's own member table.
  }

  publish(room: string, dataJson: string, at: number): Promise<PublishAck> {
    const offset = (this._offsets.get(room) ?? 0) + 1;
    this._offsets.set(room, offset);
    (this._sink as BrokerSink).deliver(room, Buffer.from(envelopeText(room, offset, this._epoch, at, dataJson)), false);
    return Promise.resolve({ offset, epoch: this._epoch, at });
  }

  relay(): void {
    // No other instance.
  }

  broadcast(): void {
    // No other instance.
  }

  members(room: string): Promise<RoomMember[]> {
    return Promise.resolve((this._sink as BrokerSink).localMembers(room).map(([, member]) => member));
  }

  rooms(): Promise<string[]> {
    return Promise.resolve((this._sink as BrokerSink).localRooms());
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
