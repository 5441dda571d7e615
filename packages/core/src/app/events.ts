import { ServError } from '../errors/serv-error';

/** A listener for an app event; it receives the event's payload. */
export type EventListener<P = Record<string, unknown>> = (payload: P) => unknown;

/** The built-in events, in the order an app's life meets them. */
export const APP_EVENTS = [
  'app.startup',
  'app.shutdown',
  'app.request.begin',
  'app.request.end',
  'app.websocket.begin',
  'app.websocket.end',
] as const;

/** An app's event bus: listeners of one event run concurrently; their failures are reported together. */
export class EventBus {
  private readonly listeners = new Map<string, EventListener<never>[]>();

  /** Subscribe; returns the unsubscribe function. */
  on<P>(event: string, listener: EventListener<P>): () => void {
    const list = this.listeners.get(event) ?? [];
    list.push(listener as EventListener<never>);
    this.listeners.set(event, list);
    return () => {
      const current = this.listeners.get(event);
      if (current === undefined) return;
      const i = current.indexOf(listener as EventListener<never>);
      if (i >= 0) current.splice(i, 1);
    };
  }

  /** Whether anything listens to `event` (lets hot paths skip building payloads). */
  has(event: string): boolean {
    const list = this.listeners.get(event);
    return list !== undefined && list.length > 0;
  }

  /** Run every listener of `event`; rejects with one ServError whose cause lists every failure. */
  async emit<P>(event: string, payload: P): Promise<void> {
    const list = this.listeners.get(event);
    if (list === undefined || list.length === 0) return;
    const results = await Promise.allSettled(list.map(async (l) => (l as EventListener<P>)(payload)));
    const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (errors.length === 0) return;
    const first = errors[0];
    const detail = first instanceof Error ? first.message : String(first);
    throw new ServError(
      'SERV_EVENT_LISTENER',
      `${errors.length} listener(s) of "${event}" failed: ${detail}`,
      { cause: errors.length === 1 ? first : new AggregateError(errors, `listeners of ${event} failed`) },
    );
  }
}
