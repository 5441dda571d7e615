import { MemoryBroker } from '../../src/brokers/memory-broker';
import { LocalMembers } from '../../src/rooms/local-members';
import { RoomHistory } from '../../src/rooms/room-history';
import { MemoryStore } from '../../src/stores/memory-store';
import type { StoredMessage } from '../../src/stores/message-store';

/** Records what reaches the room's local members, in order. */
class RecordingMembers extends LocalMembers {
  readonly delivered: number[] = [];
  override deliverStored(_room: string, offset: number): void {
    this.delivered.push(offset);
  }
}

/** The real memory store, with reads held until the test lets them go (to act out a slow store). */
class GatedStore extends MemoryStore {
  readonly readStarted: Promise<void>;
  #started!: () => void;
  #gate: Promise<void>;
  #open!: () => void;
  constructor() {
    super({ maxPerRoom: 1000, ttlMs: 60_000 });
    this.readStarted = new Promise((resolve) => (this.#started = resolve));
    this.#gate = new Promise((resolve) => (this.#open = resolve));
  }
  open(): void {
    this.#open();
  }
  override async read(room: string, after: number, before: number, limit: number): Promise<StoredMessage[]> {
    this.#started();
    await this.#gate;
    return super.read(room, after, before, limit);
  }
}

const payload = (offset: number): Buffer => Buffer.from(`{"offset":${offset}}`);

describe('delivery order of one room on one instance', () => {
  it('delivers each offset once when the missing message arrives live while the gap is being read from the store', async () => {
    const store = new GatedStore();
    const members = new RecordingMembers();
    const history = new RoomHistory(store, members, new MemoryBroker());
    history.watch('r');
    await history.ready('r');
    await store.append([1, 2, 3, 4].map((n) => ({ room: 'r', at: Date.now(), data: `${n}` })));

    history.accept('r', 2, payload(2)); // 1 is late: 2 waits, then the gap is read from the (slow) store
    await store.readStarted;
    history.accept('r', 1, payload(1)); // ...and 1 arrives live while that read is under way
    history.accept('r', 3, payload(3));
    store.open();
    await new Promise<void>((resolve) => setImmediate(resolve)); // the fill's continuation runs in the microtasks before this
    history.accept('r', 4, payload(4));

    expect(members.delivered).toEqual([1, 2, 3, 4]);
    await history.close();
  });
});
