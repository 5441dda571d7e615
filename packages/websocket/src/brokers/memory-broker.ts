import type { Broker, BrokerSink, RoomMember } from './broker';

/**
 * The default broker for one process: the sink's members are all the members there are, so there is nothing to
 * relay (`Rooms` has delivered to them already) and presence is the sink's own member table.
 */
export class MemoryBroker implements Broker {
  private _sink: BrokerSink | null = null;

  start(sink: BrokerSink): Promise<void> {
    this._sink = sink;
    return Promise.resolve();
  }

  join(): Promise<void> {
    return Promise.resolve();
  }

  leave(): void {
    // Presence is the sink's own member table.
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
