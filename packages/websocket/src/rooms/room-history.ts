import { PlainHistogram } from '@serv/core';
import type { Broker, PublishAck } from '../brokers/broker';
import { MemoryBroker } from '../brokers/memory-broker';
import { BatchingWriter } from '../stores/batching-writer';
import { NO_UPPER_BOUND, type MessageStore } from '../stores/message-store';
import { envelopeText } from './envelope';
import { frameMessage } from './frame';
import type { LocalMember, LocalMembers } from './local-members';

/** A room's delivery order on this instance: the next offset due, and later ones held until it arrives. */
interface RoomOrder {
  /** Null until the room's position was read after subscribing (everything is held meanwhile). */
  next: number | null;
  readonly held: Map<number, Buffer>;
  timer: NodeJS.Timeout | null;
  filling: boolean;
  ready: Promise<void> | null;
}

/** How long a message that arrived ahead of its predecessor waits before the gap is read from the store. */
const GAP_WAIT_MS = 100;
/** Replays read the store in pages of this many messages. */
const PAGE = 1000;

/** What a join with history resolves. */
export interface Recovery {
  readonly recovered: boolean;
  readonly missed: number;
  readonly epoch: string;
}

/**
 * The stored side of rooms: `publish` appends through a per-turn batch, then delivers each envelope here (in
 * offset order) and relays it to the other instances; deliveries from other instances are put back into offset
 * order (a gap is filled from the store after a short wait); a join with `after` replays what the member missed
 * before its live messages, with no gap and no duplicate.
 */
export class RoomHistory {
  readonly #orders = new Map<string, RoomOrder>();
  readonly #writer: BatchingWriter<PublishAck>;
  /** Where a store outage is reported: once when writes start failing, once when they work again. */
  log: { info(message: string): void; error(message: string, error?: unknown): void } | null = null;
  #outage = false;

  constructor(
    readonly store: MessageStore,
    private readonly _local: LocalMembers,
    broker: Broker,
    /** Where each store write's time is recorded (`serv_store_write_seconds`); a private one when not given. */
    writeSeconds: PlainHistogram = new PlainHistogram(),
  ) {
    // A memory broker has no other instance to relay to: the envelope is built only for local members then.
    const relays = !(broker instanceof MemoryBroker);
    this.#writer = new BatchingWriter(
      (batch) => timed(store.append(batch), writeSeconds).then(
        (results) => {
          if (this.#outage) {
            this.#outage = false;
            this.log?.info(`Rooms: message store ${store.description} is back`);
          }
          return results;
        },
        (err: unknown) => {
          if (!this.#outage) {
            this.#outage = true;
            this.log?.error(`Rooms: message store ${store.description} failed (${(err as Error).message}); publish() rejects until it works again`, err);
          }
          throw err;
        },
      ),
      (request, result) => {
        if (relays || this.#orders.has(request.room)) {
          const payload = Buffer.from(envelopeText(request.room, result.offset, result.epoch, request.at, request.data));
          this.accept(request.room, result.offset, payload);
          if (relays) broker.relay(request.room, result.offset, payload);
        }
        return { offset: result.offset, epoch: result.epoch, at: request.at };
      },
    );
  }

  /** Store, then deliver; resolves with the acknowledgement once the message's batch is committed. */
  publish(room: string, dataJson: string, at: number): Promise<PublishAck> {
    return this.#writer.append({ room, at, data: dataJson });
  }

  /** A stored message for `room`, from this instance or another: delivered to local members in offset order. */
  accept(room: string, offset: number, payload: Buffer): void {
    const order = this.#orders.get(room);
    if (order === undefined) return;
    if (order.next === null || offset > order.next) {
      order.held.set(offset, payload);
      if (order.next !== null) this.#armGap(room, order);
      return;
    }
    if (offset < order.next) return;
    this._local.deliverStored(room, offset, payload);
    order.next += 1;
    if (order.held.size > 0) this.#drain(room, order);
  }

  /** The first local member is joining `room`: start holding its messages until its position is known. */
  watch(room: string): void {
    if (!this.#orders.has(room)) this.#orders.set(room, { next: null, held: new Map(), timer: null, filling: false, ready: null });
  }

  /** Once this instance receives `room` (subscribed): read where it stands and start delivering. */
  ready(room: string): Promise<void> {
    const order = this.#orders.get(room);
    if (order === undefined) return Promise.resolve();
    order.ready ??= this.store.position(room).then(
      (position) => {
        order.next = (position?.last ?? 0) + 1;
        this.#drain(room, order);
      },
      (err: unknown) => {
        order.ready = null;
        throw err;
      },
    );
    return order.ready;
  }

  /** The last local member left `room`. */
  forget(room: string): void {
    const order = this.#orders.get(room);
    if (order?.timer) clearTimeout(order.timer);
    this.#orders.delete(room);
  }

  /**
   * Send the member every retained message after `after` (unless the store lost that history: another epoch, or an
   * offset it never gave), then what arrived live meanwhile, then switch it to live delivery.
   */
  async replay(room: string, member: LocalMember, after: number, epoch: string | undefined): Promise<Recovery> {
    let missed = 0;
    try {
      const position = await this.store.position(room);
      const current = position?.epoch ?? '';
      const last = position?.last ?? 0;
      if ((epoch !== undefined && epoch !== current) || after > last) return { recovered: false, missed: 0, epoch: current };
      const recovered = after >= (position?.first ?? 1) - 1;
      for (let from = after; ; ) {
        const page = await this.store.read(room, from, NO_UPPER_BOUND, PAGE);
        for (const m of page) {
          const payload = Buffer.from(envelopeText(room, m.offset, current, m.at, m.data));
          member.outbox.deliver(frameMessage(payload, false), payload, false, false);
          member.floor = m.offset;
          missed += 1;
        }
        if (page.length < PAGE) break;
        from = (page[page.length - 1] as { offset: number }).offset;
      }
      return { recovered, missed, epoch: current };
    } finally {
      for (const [offset, payload] of member.pending ?? []) {
        if (offset <= member.floor) continue;
        member.outbox.deliver(frameMessage(payload, false), payload, false, false);
        member.floor = offset;
      }
      member.pending = null;
    }
  }

  /** Stop timers and flush nothing more (app shutdown). */
  close(): Promise<void> {
    for (const room of [...this.#orders.keys()]) this.forget(room);
    return this.store.close();
  }

  #drain(room: string, order: RoomOrder): void {
    for (const offset of order.held.keys()) if (offset < (order.next as number)) order.held.delete(offset);
    let payload = order.held.get(order.next as number);
    while (payload !== undefined) {
      order.held.delete(order.next as number);
      this._local.deliverStored(room, order.next as number, payload);
      order.next = (order.next as number) + 1;
      payload = order.held.get(order.next);
    }
    if (order.held.size === 0 && order.timer !== null) {
      clearTimeout(order.timer);
      order.timer = null;
    } else if (order.held.size > 0) this.#armGap(room, order);
  }

  #armGap(room: string, order: RoomOrder): void {
    if (order.timer !== null || order.filling) return;
    order.timer = setTimeout(() => {
      order.timer = null;
      void this.#fill(room, order);
    }, GAP_WAIT_MS);
    order.timer.unref();
  }

  /** A message is overdue: read the gap from the store (it was committed before anything after it). */
  async #fill(room: string, order: RoomOrder): Promise<void> {
    if (order.next === null || order.held.size === 0 || this.#orders.get(room) !== order) return;
    order.filling = true;
    try {
      const upTo = Math.min(...order.held.keys());
      const [position, page] = await Promise.all([this.store.position(room), this.store.read(room, order.next - 1, upTo, upTo - order.next)]);
      // Live deliveries may have moved `next` on while the store was read: what they delivered is not taken again.
      for (const m of page) {
        if (m.offset >= order.next) order.held.set(m.offset, Buffer.from(envelopeText(room, m.offset, position?.epoch ?? '', m.at, m.data)));
      }
      // Whatever the store no longer has (retention) cannot come: move on (never back) to what is here.
      if (order.held.size > 0 && !order.held.has(order.next)) order.next = Math.max(order.next, Math.min(...order.held.keys()));
    } catch {
      // The store is away: keep holding; the next arrival re-arms the wait.
    } finally {
      order.filling = false;
    }
    if (this.#orders.get(room) === order) this.#drain(room, order);
  }
}

/** `promise`, with the time until it settles (either way) recorded in `seconds`. */
function timed<T>(promise: Promise<T>, seconds: PlainHistogram): Promise<T> {
  const started = performance.now();
  const done = (): void => seconds.observeSince(started);
  promise.then(done, done);
  return promise;
}
