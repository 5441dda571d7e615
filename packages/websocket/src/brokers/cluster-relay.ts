import type { RoomMember } from './broker';
import { isRoomsMessage, ROOMS_TAG, type PrimaryToWorker, type WorkerToPrimary } from './cluster-protocol';

/** A worker as the relay needs it: an id and a way to send it a message. */
export interface RelayWorker {
  readonly id: number;
  send(message: PrimaryToWorker): void;
  /** False once the worker's IPC channel is gone (it is exiting): messages to it are dropped. */
  isConnected?(): boolean;
}

/**
 * The `serv launch --workers` primary's side of the memory broker: it forwards deliveries to the workers that have
 * members in the room and holds presence for all of them. A worker that exits takes its members with it.
 */
export class ClusterRelay {
  /** room → member id → [worker id, member]. */
  readonly #members = new Map<string, Map<string, [number, RoomMember]>>();
  /** room → worker id → that worker's member count in the room. */
  readonly #interest = new Map<string, Map<number, number>>();
  readonly #workers = new Map<number, RelayWorker>();

  /** Handle one IPC message from `worker`; returns false when it is not a rooms message. */
  handle(worker: RelayWorker, message: unknown): boolean {
    if (!isRoomsMessage(message)) return false;
    this.#workers.set(worker.id, worker);
    const m = message as WorkerToPrimary;
    switch (m.op) {
      case 'join':
        this.#join(worker.id, m.room, m.member);
        worker.send({ tag: ROOMS_TAG, op: 'reply', id: m.id, result: null });
        break;
      case 'leave':
        this.#leave(m.room, m.memberId);
        break;
      case 'broadcast':
        this.#send(m.room, m.text, m.binary, worker.id);
        break;
      case 'relay':
        this.#send(m.room, m.text, false, worker.id, m.offset);
        break;
      case 'members':
        worker.send({ tag: ROOMS_TAG, op: 'reply', id: m.id, result: [...(this.#members.get(m.room)?.values() ?? [])].map(([, member]) => member) });
        break;
      case 'rooms':
        worker.send({ tag: ROOMS_TAG, op: 'reply', id: m.id, result: [...this.#members.keys()] });
        break;
    }
    return true;
  }

  /** A worker exited: its members leave every room. */
  workerGone(workerId: number): void {
    this.#workers.delete(workerId);
    for (const [room, members] of [...this.#members]) {
      for (const [id, [owner]] of [...members]) if (owner === workerId) this.#leave(room, id);
    }
  }

  #join(workerId: number, room: string, member: RoomMember): void {
    let members = this.#members.get(room);
    if (members === undefined) this.#members.set(room, (members = new Map()));
    if (members.has(member.id)) return;
    members.set(member.id, [workerId, member]);
    let interest = this.#interest.get(room);
    if (interest === undefined) this.#interest.set(room, (interest = new Map()));
    interest.set(workerId, (interest.get(workerId) ?? 0) + 1);
  }

  #leave(room: string, memberId: string): void {
    const members = this.#members.get(room);
    const entry = members?.get(memberId);
    if (members === undefined || entry === undefined) return;
    members.delete(memberId);
    if (members.size === 0) this.#members.delete(room);
    const interest = this.#interest.get(room) as Map<number, number>;
    const count = (interest.get(entry[0]) ?? 1) - 1;
    if (count > 0) interest.set(entry[0], count);
    else interest.delete(entry[0]);
    if (interest.size === 0) this.#interest.delete(room);
  }

  /** Forward to every worker with members in `room` but `skip` (the broadcasting worker, which delivered already). */
  #send(room: string, text: string, binary: boolean, skip: number, offset?: number): void {
    const interest = this.#interest.get(room);
    if (interest === undefined) return;
    const message: PrimaryToWorker = offset === undefined ? { tag: ROOMS_TAG, op: 'deliver', room, text, binary } : { tag: ROOMS_TAG, op: 'deliver', room, text, binary, offset };
    for (const workerId of interest.keys()) {
      if (workerId === skip) continue;
      const worker = this.#workers.get(workerId);
      if (worker !== undefined && worker.isConnected?.() !== false) worker.send(message);
    }
  }
}
