import type { IncomingMessage } from 'node:http';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { CliError } from '../cli-error';
import { describePayload, FrameLog } from './frame-log';
import type { WsClientOptions } from './ws-client-options';

// Normal ends of a conversation: the peer said goodbye, is going away, or sent no code.
const NORMAL_CLOSE_CODES = new Set([1000, 1001, 1005]);

/**
 * Runs one `serv ws` conversation and resolves with the exit code; rejects with a CliError for a refused or failed
 * connection, a timeout or an early close. One-shot mode succeeds when a reply contains --expect or, without it,
 * once there is a reply for every message sent; interactive mode succeeds when stdin ends (after the replies to
 * the lines sent, or --timeout) or the server closes normally.
 */
export function runWsSession(options: WsClientOptions): Promise<number> {
  const log = new FrameLog(options.verbose);
  const oneShot = options.send.length > 0 || options.expect !== undefined;
  return new Promise<number>((resolve, reject) => {
    log.info(`Connecting to ${options.url}`);
    const socket = new WebSocket(options.url, [...options.subprotocols], {
      headers: { ...options.headers },
      handshakeTimeout: options.timeoutMs,
    });
    let opened = false;
    let settled = false;
    let inputDone = false;
    let sent = 0;
    let received = 0;
    let replyTimer: NodeJS.Timeout | undefined;
    const finish = (outcome: number | CliError): void => {
      if (settled) return;
      settled = true;
      if (replyTimer !== undefined) clearTimeout(replyTimer);
      process.stdin.pause();
      const done = (): void => (typeof outcome === 'number' ? resolve(outcome) : reject(outcome));
      if (socket.readyState === WebSocket.CLOSED) return done();
      if (socket.readyState === WebSocket.OPEN) {
        log.info(`Sending close 1000 at ${log.elapsed()} ms`);
        socket.close(1000);
      } else {
        socket.terminate();
      }
      const guard = setTimeout(() => socket.terminate(), options.timeoutMs);
      socket.once('close', () => {
        clearTimeout(guard);
        done();
      });
    };

    socket.on('upgrade', (response: IncomingMessage) => log.response(response));
    socket.on('unexpected-response', (request, response: IncomingMessage) => {
      log.response(response);
      readBody(response).then((body) => {
        request.destroy();
        const detail = body === '' ? '' : `: ${body}`;
        finish(new CliError('SERV_WS_REFUSED', `WebSocket handshake refused by ${options.url}: HTTP ${response.statusCode} ${response.statusMessage ?? ''}`.trimEnd() + detail));
      }, (error: unknown) => finish(new CliError('SERV_WS_REFUSED', `WebSocket handshake refused by ${options.url}: HTTP ${response.statusCode}`, { cause: error })));
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const reason = error.message.includes('handshake has timed out') ? `no handshake within ${options.timeoutMs} ms` : (error.code ?? error.message);
      finish(new CliError('SERV_WS_CONNECT', opened ? `WebSocket error on ${options.url}: ${reason}` : `Could not connect to ${options.url}: ${reason}`, { cause: error }));
    });
    socket.on('open', () => {
      opened = true;
      log.info(`Open at ${log.elapsed()} ms (subprotocol: ${socket.protocol || 'none'}, extensions: ${socket.extensions || 'none'})`);
      if (oneShot) {
        for (const message of options.send) send(message);
        inputDone = true;
        replyTimer = setTimeout(() => finish(new CliError('SERV_WS_TIMEOUT', `${missingReplies()} within ${options.timeoutMs} ms`)), options.timeoutMs);
        return;
      }
      if (process.stdin.isTTY) process.stderr.write(`Connected to ${options.url}; type a message and press Enter (Ctrl+D to quit)\n`);
      const lines = createInterface({ input: process.stdin, terminal: false });
      lines.on('line', (line) => send(line));
      lines.on('close', () => {
        // Piped input (`echo hi | serv ws URL`) ends before the replies arrive: give them up to --timeout.
        inputDone = true;
        if (received >= sent) finish(0);
        else replyTimer = setTimeout(() => finish(0), options.timeoutMs);
      });
    });
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      received += 1;
      log.frame('<', isBinary ? 'binary' : 'text', data);
      process.stdout.write(`< ${describePayload(data, isBinary)}\n`);
      if (options.expect !== undefined) {
        if (data.toString('utf8').includes(options.expect)) finish(0);
      } else if (inputDone && received >= sent) {
        finish(0);
      }
    });
    socket.on('ping', (data: Buffer) => log.frame('<', 'ping', data));
    socket.on('pong', (data: Buffer) => log.frame('<', 'pong', data));
    socket.on('close', (code: number, reason: Buffer) => {
      log.info(`Closed ${code} "${reason.toString('utf8')}" at ${log.elapsed()} ms`);
      if (settled) return;
      const how = `${code}${reason.length > 0 ? ` ${reason.toString('utf8')}` : ''}`;
      if (oneShot) {
        finish(new CliError('SERV_WS_CLOSED', `Connection closed (${how}): ${missingReplies()}`));
      } else if (NORMAL_CLOSE_CODES.has(code)) {
        process.stderr.write(`Connection closed: ${how}\n`);
        finish(0);
      } else {
        finish(new CliError('SERV_WS_CLOSED', `Connection closed: ${how}`));
      }
    });

    // Why a one-shot run failed: the expected text, or the replies still owed for the messages sent.
    function missingReplies(): string {
      if (options.expect !== undefined) return `No reply containing "${options.expect}"`;
      if (received === 0) return 'No reply';
      return `Received ${received} of ${sent} replies`;
    }

    function send(message: string): void {
      sent += 1;
      const data = Buffer.from(message, 'utf8');
      log.frame('>', options.binary ? 'binary' : 'text', data);
      socket.send(options.binary ? data : message, { binary: options.binary });
    }
  });
}

// The refusal body usually says why (e.g. "No WebSocket route for /wss"); keep the first line, shortened.
function readBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      if (size < 2048) chunks.push(chunk);
      size += chunk.length;
    });
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8').split('\n')[0]!.trim().slice(0, 200)));
    response.on('error', reject);
  });
}
