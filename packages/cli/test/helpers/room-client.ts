import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';

const SCRIPT = resolve(__dirname, '..', 'fixtures', 'nginx', 'room-client.mjs');

/** What the chat sends first on every (re)connection. */
export interface Joined {
  joined: string;
  instance: string;
  client: string;
  recovered: boolean;
  missed: number;
}

/** A stored message as delivered: `{"room","offset","epoch","at","data"}`. */
export interface Envelope {
  room: string;
  offset: number;
  epoch: string;
  data: unknown;
}

/**
 * A Node process running @serv/websocket/client (fixtures/nginx/room-client.mjs) against `url` from `localAddress`:
 * records every state change, every `joined` greeting and every stored message, in arrival order.
 */
export class RoomClient {
  readonly child: ChildProcessWithoutNullStreams;
  readonly states: string[] = [];
  readonly joins: Joined[] = [];
  readonly envelopes: Envelope[] = [];
  readonly others: unknown[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly exited: Promise<void>;
  private ended = false;

  constructor(url: string, localAddress: string, caFile: string) {
    this.child = spawn(process.execPath, [SCRIPT, url, localAddress, caFile]);
    let buffer = '';
    let errors = '';
    this.child.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
    this.child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) this.record(JSON.parse(line) as { state?: string; message?: Record<string, unknown> });
      this.notify();
    });
    this.exited = new Promise((done) =>
      this.child.on('close', (code) => {
        this.ended = true;
        if (code !== 0) this.others.push({ exit: code, stderr: errors });
        this.notify();
        done();
      }),
    );
  }

  /** The instance of the latest connection. */
  get instance(): string | undefined {
    return this.joins[this.joins.length - 1]?.instance;
  }

  /** The offsets received, in arrival order. */
  get offsets(): number[] {
    return this.envelopes.map((e) => e.offset);
  }

  /** Sends one text message (queued by the client while it reconnects). */
  send(text: string): void {
    this.child.stdin.write(`${text}\n`);
  }

  /** Resolves once `check()` holds, checked on every event; rejects if the client process ends first. */
  until(check: () => boolean, what: string): Promise<void> {
    return new Promise((done, fail) => {
      const waiter = (): void => {
        if (check()) done();
        else if (this.ended) fail(new Error(`room client ended before ${what}: ${JSON.stringify(this.others)}`));
        else return;
        this.waiters.delete(waiter);
      };
      this.waiters.add(waiter);
      waiter();
    });
  }

  /** Ends the client (stdin closed → `close()`) and waits for its process to exit. */
  stop(): Promise<void> {
    this.child.stdin.end();
    return this.exited;
  }

  private record(event: { state?: string; message?: Record<string, unknown> }): void {
    if (event.state !== undefined) this.states.push(event.state);
    const message = event.message;
    if (message === undefined) return;
    if (typeof message.joined === 'string') this.joins.push(message as unknown as Joined);
    else if (typeof message.offset === 'number') this.envelopes.push(message as unknown as Envelope);
    else this.others.push(message);
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
