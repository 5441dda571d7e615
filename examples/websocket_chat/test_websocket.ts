/**
 * Checks the running chat example's echo end to end: text, unicode, JSON, binary and 100 messages in order,
 * each over its own connection, then prints a summary.
 *
 *   npm run test:websocket [-- ws://host:port/ws]       (or SERV_URL=ws://… npm run test:websocket)
 *
 * Exit code 0 when every check passes, 1 otherwise.
 */
import { deepStrictEqual, strictEqual } from 'node:assert';
import WebSocket from 'ws';

const DEFAULT_URL = 'ws://127.0.0.1:8000/ws';
const STEP_TIMEOUT_MS = 5000;

/** The URL from argv[2], then SERV_URL, then the example's default address. */
const url = process.argv[2] ?? process.env.SERV_URL ?? DEFAULT_URL;

/** One received frame. */
interface Frame {
  readonly data: Buffer;
  readonly isBinary: boolean;
}

/** A client connection whose frames are read one at a time, in arrival order, each with a timeout. */
class EchoClient {
  private readonly frames: Frame[] = [];
  private waiter: ((frame: Frame | Error) => void) | undefined;
  private ended: Error | undefined;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, isBinary) => this.push({ data, isBinary }));
    ws.on('close', (code, reason) => this.end(new Error(`connection closed (${code}): ${String(reason) || 'No reason provided'}`)));
    ws.on('error', (error) => this.end(error));
  }

  /** Opens a connection, rejecting with the underlying error if the handshake fails. */
  static open(target: string): Promise<EchoClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(target);
      ws.once('open', () => resolve(new EchoClient(ws)));
      ws.once('error', reject);
    });
  }

  /** The next frame, or a rejection after STEP_TIMEOUT_MS or when the connection ends first. */
  next(): Promise<Frame> {
    const queued = this.frames.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.ended !== undefined) return Promise.reject(this.ended);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new Error(`no reply within ${STEP_TIMEOUT_MS / 1000} s`));
      }, STEP_TIMEOUT_MS);
      this.waiter = (frame) => {
        clearTimeout(timer);
        this.waiter = undefined;
        if (frame instanceof Error) reject(frame);
        else resolve(frame);
      };
    });
  }

  /** The next frame, which must be a text frame. */
  async nextText(): Promise<string> {
    const frame = await this.next();
    strictEqual(frame.isBinary, false, 'expected a text frame, got a binary one');
    return frame.data.toString('utf8');
  }

  /** Closes the connection normally. */
  close(): void {
    this.ws.close(1000, 'Checks finished');
  }

  private push(frame: Frame): void {
    if (this.waiter !== undefined) this.waiter(frame);
    else this.frames.push(frame);
  }

  private end(error: Error): void {
    this.ended ??= error;
    this.waiter?.(error);
  }
}

/** The checks, in the order they run; each gets a fresh connection. */
const checks: Array<[name: string, run: (client: EchoClient) => Promise<void>]> = [
  ['echoes a text message with the "Echo: " prefix', async (client) => {
    client.ws.send('Hello, WebSocket!');
    strictEqual(await client.nextText(), 'Echo: Hello, WebSocket!');
  }],
  ['keeps unicode text intact', async (client) => {
    client.ws.send('héllo wörld — 你好 👋');
    strictEqual(await client.nextText(), 'Echo: héllo wörld — 你好 👋');
  }],
  ['echoes a JSON document that still parses after the prefix', async (client) => {
    const document = { type: 'chat', text: 'hi', tags: ['a', 'b'], n: 42, nested: { ok: true } };
    client.ws.send(JSON.stringify(document));
    const reply = await client.nextText();
    strictEqual(reply.startsWith('Echo: '), true, `expected "Echo: " before the JSON, got ${JSON.stringify(reply)}`);
    deepStrictEqual(JSON.parse(reply.slice('Echo: '.length)), document);
  }],
  ['echoes binary messages back byte for byte, as binary', async (client) => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    client.ws.send(bytes);
    const frame = await client.next();
    strictEqual(frame.isBinary, true, 'expected a binary frame, got a text one');
    deepStrictEqual(Buffer.compare(frame.data, bytes), 0, 'the echoed bytes differ from the bytes sent');
  }],
  ['echoes 100 messages in the order they were sent', async (client) => {
    for (let i = 0; i < 100; i += 1) client.ws.send(`message ${i}`);
    for (let i = 0; i < 100; i += 1) strictEqual(await client.nextText(), `Echo: message ${i}`);
  }],
];

/** A connection failure as Node reports it (a single error, or an AggregateError when several addresses were tried). */
type ConnectError = Error & { code?: string; errors?: Array<{ code?: string }> };

/** Explains a failed connection, saying how to start the server when nothing is listening. */
function describeConnectFailure(error: ConnectError): string {
  const refused = error.code === 'ECONNREFUSED' || (error.errors ?? []).some((inner) => inner.code === 'ECONNREFUSED');
  if (refused) {
    return `FAIL: no server is running at ${url} (connection refused). Start it with: cd examples/websocket_chat && npx serv launch`;
  }
  return `FAIL: could not connect to ${url}: ${error.message}`;
}

/** Runs every check, prints one line each and a summary; resolves to the number of failures. */
async function main(): Promise<number> {
  console.log(`Running ${checks.length} checks against ${url}\n`);
  let failed = 0;
  for (const [name, run] of checks) {
    let client: EchoClient;
    try {
      client = await EchoClient.open(url);
    } catch (error) {
      console.error(describeConnectFailure(error as ConnectError));
      return checks.length;
    }
    try {
      await run(client);
      console.log(`  ✓ ${name}`);
    } catch (error) {
      failed += 1;
      console.log(`  ✗ ${name}\n      ${(error as Error).message.split('\n').join('\n      ')}`);
    } finally {
      client.close();
    }
  }
  const passed = checks.length - failed;
  console.log(`\n${passed} passed, ${failed} failed (${checks.length} checks)`);
  return failed;
}

main().then(
  (failed) => {
    process.exitCode = failed === 0 ? 0 : 1;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
