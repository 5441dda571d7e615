import type { Broker, BrokerSink, RoomMember } from './broker';
import { decodePayload, encodePayload, isRoomsMessage, ROOMS_TAG, type PrimaryToWorker, type WorkerToPrimary } from './cluster-protocol';

type Reply = PrimaryToWorker & { op: 'reply' };

/**
 * The memory broker inside a `serv launch --workers` worker: everything goes to the primary's `ClusterRelay` over
 * the cluster IPC channel, which forwards deliveries to every worker with members and holds presence.
 */
export class ClusterBroker implements Broker {
  private _sink: BrokerSink | null = null;
  private _nextId = 1;
  private readonly _waiting = new Map<number, (result: Reply['result']) => void>();
  private readonly _onMessage = (message: unknown): void => this._receive(message);


  start(sink: BrokerSink): Promise<void> {
    this._sink = sink;
    process.on('message', this._onMessage);
    return Promise.resolve();
  }

  /** The primary relays every room message: without the IPC channel nothing reaches the other workers. */
  reachable(): boolean {
    return process.connected;
  }

  async join(room: string, member: RoomMember): Promise<void> {
    await this._ask<null>({ tag: ROOMS_TAG, op: 'join', id: 0, room, member });
  }

  leave(room: string, memberId: string): void {
    this._post({ tag: ROOMS_TAG, op: 'leave', room, memberId });
  }

  relay(room: string, offset: number, payload: Buffer): void {
    this._post({ tag: ROOMS_TAG, op: 'relay', room, offset, text: payload.toString() });
  }

  broadcast(room: string, payload: Buffer, binary: boolean): void {
    this._post({ tag: ROOMS_TAG, op: 'broadcast', room, text: encodePayload(payload, binary), binary });
  }

  members(room: string): Promise<RoomMember[]> {
    return this._ask<RoomMember[]>({ tag: ROOMS_TAG, op: 'members', id: 0, room });
  }

  rooms(): Promise<string[]> {
    return this._ask<string[]>({ tag: ROOMS_TAG, op: 'rooms', id: 0 });
  }

  close(): Promise<void> {
    // The primary drops this worker's members when it exits; leaving explicitly keeps members() exact meanwhile.
    for (const [room, member] of this._sink?.localMembers() ?? []) this.leave(room, member.id);
    process.off('message', this._onMessage);
    for (const resolve of this._waiting.values()) resolve([]);
    this._waiting.clear();
    return Promise.resolve();
  }

  private _ask<T>(message: WorkerToPrimary & { id: number }): Promise<T> {
    const id = this._nextId++;
    message.id = id;
    return new Promise<T>((resolve) => {
      this._waiting.set(id, resolve as (result: Reply['result']) => void);
      this._post(message);
    });
  }

  private _post(message: WorkerToPrimary): void {
    if (process.connected) (process.send as (m: unknown) => boolean)(message);
  }

  private _receive(message: unknown): void {
    if (!isRoomsMessage(message)) return;
    const m = message as PrimaryToWorker;
    if (m.op === 'deliver' && m.offset !== undefined) {
      (this._sink as BrokerSink).deliverStored(m.room, m.offset, Buffer.from(m.text));
      return;
    }
    if (m.op === 'deliver') {
      (this._sink as BrokerSink).deliver(m.room, decodePayload(m.text, m.binary), m.binary);
      return;
    }
    const resolve = this._waiting.get(m.id);
    if (resolve === undefined) return;
    this._waiting.delete(m.id);
    resolve(m.result);
  }
}
