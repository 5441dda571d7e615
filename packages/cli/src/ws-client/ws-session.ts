import type { IncomingMessage } from 'node:http';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { CliError } from '../cli-error';
import { describePayload, FrameLog } from './frame-log';
import type { WsClientOptions } from './ws-client-options';

// Normal ends of a conversation: the peer said goodbye, is going away, or sent no code.
const NORMAL_CLOSE_CODES = new Set([1000, 1001, 1005]);

/**
 * Runs one `serv ws` conversation and resolves with the exit code (0 when the expected reply came, or the
 * interactive session ended normally); rejects with a CliError for a refused or failed connection.
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
    let replyTimer: NodeJS.Timeout | undefined;
    const finish = (outcome: number | CliError): void => {
      if (settled) return;
      settled = true;
      if (replyTimer !== undefined) clearTimeout(replyTimer);
      process.stdin.pause();
      const done = (): void => (typeof outcome === 'number' ? resolve(outcome) : reject(outcome));
      if (socket.readyState === WebSocket.CLOSED) return done();
      if (socket.readyState === WebSocket.OPEN) {
        log.frame('>', 'close 1000', Buffer.alloc(0), false);
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
        replyTimer = setTimeout(() => {
          const what = options.expect === undefined ? 'No reply' : `No reply containing "${options.expect}"`;
          finish(new CliError('SERV_WS_TIMEOUT', `${what} within ${options.timeoutMs} ms`));
        }, options.timeoutMs);
      } else {
        if (process.stdin.isTTY) process.stderr.write(`Connected to ${options.url}; type a message and press Enter (Ctrl+D to quit)\n`);
        const lines = createInterface({ input: process.stdin, terminal: false });
        lines.on('line', (line) => send(line));
        lines.on('close', () => finish(0));
      }
    });
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      log.frame('<', isBinary ? 'binary' : 'text', data);
      const text = describePayload(data, isBinary);
      process.stdout.write(`< ${text}\n`);
      if (!oneShot) return;
      if (options.expect === undefined || data.toString('utf8').includes(options.expect)) finish(0);
    });
    socket.on('ping', (data: Buffer) => log.frame('<', 'ping', data));
    socket.on('pong', (data: Buffer) => log.frame('<', 'pong', data));
    socket.on('close', (code: number, reason: Buffer) => {
      log.info(`Closed ${code} "${reason.toString('utf8')}" at ${log.elapsed()} ms`);
      if (settled) return;
      const how = `${code}${reason.length > 0 ? ` ${reason.toString('utf8')}` : ''}`;
      if (oneShot) {
        const what = options.expect === undefined ? 'a reply' : `a reply containing "${options.expect}"`;
        finish(new CliError('SERV_WS_CLOSED', `Connection closed (${how}) before ${what}`));
      } else if (NORMAL_CLOSE_CODES.has(code)) {
        process.stderr.write(`Connection closed: ${how}\n`);
        finish(0);
      } else {
        finish(new CliError('SERV_WS_CLOSED', `Connection closed: ${how}`));
      }
    });

    function send(message: string): void {
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
