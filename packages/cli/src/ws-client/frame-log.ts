import type { IncomingMessage } from 'node:http';

/** Writes `--verbose` traces to stderr (so stdout stays just the replies), each stamped with ms since start. */
export class FrameLog {
  private readonly started = performance.now();

  constructor(private readonly enabled: boolean) {}

  /** Milliseconds since the client started, rounded. */
  elapsed(): number {
    return Math.round(performance.now() - this.started);
  }

  /** A `*` line about the connection. */
  info(text: string): void {
    if (this.enabled) process.stderr.write(`* ${text}\n`);
  }

  /** The status line and headers of a handshake response. */
  response(response: IncomingMessage): void {
    if (!this.enabled) return;
    this.info(`Handshake: HTTP ${response.statusCode} ${response.statusMessage ?? ''} at ${this.elapsed()} ms`.replace('  ', ' '));
    for (let i = 0; i < response.rawHeaders.length; i += 2) {
      process.stderr.write(`*   ${response.rawHeaders[i]}: ${response.rawHeaders[i + 1]}\n`);
    }
  }

  /** One frame: `>` sent, `<` received, with its kind, size and (for data frames) a preview. */
  frame(direction: '>' | '<', kind: string, data: Buffer): void {
    if (!this.enabled) return;
    const shown = data.length > 0 ? `: ${describePayload(data, kind === 'binary')}` : '';
    process.stderr.write(`${direction} ${kind} ${data.length} bytes at ${this.elapsed()} ms${shown}\n`);
  }
}

/** A payload for printing: text as is, binary as text when it is printable UTF-8, else as hex. */
export function describePayload(data: Buffer, binary: boolean): string {
  const text = data.toString('utf8');
  if (!binary) return text;
  // Printable text (no control characters except tab/newline) is easier to read than hex.
  const printable = !/[\u0000-\u0008\u000e-\u001f\ufffd]/.test(text);
  return printable ? `(binary) ${text}` : `(binary) ${data.toString('hex')}`;
}
