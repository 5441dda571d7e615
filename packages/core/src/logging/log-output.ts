import { formatError } from './format-error';
import { LineBuffer } from './line-buffer';

/** Log levels, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** The level of one written line. */
export type LineLevel = Exclude<LogLevel, 'silent'>;

/** How lines look: `pretty` (`time LEVEL [name] message`, for people) or `json` (one pino object per line). */
export type LogFormat = 'pretty' | 'json';

/** Where log lines go instead of stdout/stderr (tests, embedding): the line as formatted, without its newline. */
export type LogSink = (level: LineLevel, line: string) => void;

/** pino's numeric levels, by name and back. */
export const PINO_LEVEL: Record<LineLevel, number> = { debug: 20, info: 30, warn: 40, error: 50 };
const LEVEL_NAME: Record<number, LineLevel> = { 20: 'debug', 30: 'info', 40: 'warn', 50: 'error' };

// Lines waiting to be written, flushed once per event-loop turn (and at exit): under load one write(2) carries many
// request lines instead of one each. Warnings and errors are written at once, after whatever is pending.
const FLUSH_BYTES = 64 * 1024;
const pendingOutputs = new Set<LogOutput>();
let exitHookInstalled = false;

function flushAll(): void {
  for (const output of pendingOutputs) output.flush();
}

/**
 * Where one logger family writes: stdout (debug, info) and stderr (warn, error), or a sink. JSON lines arrive
 * ready-made (from pino, or from the request log's own serializer); pretty lines are formatted here from the level,
 * name, message and error, so no JSON is parsed back.
 */
export class LogOutput {
  private readonly pending = new LineBuffer();
  private scheduled = false;

  constructor(
    readonly format: LogFormat,
    private readonly sink: LogSink | undefined,
  ) {}

  /** Write one JSON line (with its newline) at `level`; in pretty format `pretty()` builds the text instead. */
  writeJson(level: LineLevel, json: string): void {
    if (this.sink !== undefined) {
      this.sink(level, json.endsWith('\n') ? json.slice(0, -1) : json);
      return;
    }
    this.emit(level, json);
  }

  /**
   * Write one line in pretty format: `time LEVEL [name] message key=value…`, then the stack and causes of the
   * `err` field, if any.
   */
  writePretty(level: LineLevel, name: string, message: string, fields?: Record<string, unknown>): void {
    let line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} [${name}] ${message}`;
    if (fields !== undefined) {
      for (const key of Object.keys(fields)) if (key !== 'err') line += ` ${key}=${prettyValue(fields[key])}`;
      if ('err' in fields) line += `\n${formatError(fields.err)}`;
    }
    if (this.sink !== undefined) this.sink(level, line);
    else this.emit(level, `${line}\n`);
  }

  /**
   * Starts a JSON line of at most `maxBytes` bytes that the caller serialises into the returned buffer, then ends
   * with endJsonLine() (the request log's path: no string is built for the line).
   */
  beginJsonLine(maxBytes: number): LineBuffer {
    this.makeRoom(maxBytes);
    this.pending.beginLine();
    return this.pending;
  }

  /** Ends the line begun with beginJsonLine() (which wrote its newline): queued for stdout, or given to the sink. */
  endJsonLine(level: LineLevel): void {
    if (this.sink !== undefined) {
      const line = this.pending.lineText();
      this.pending.dropLine();
      this.sink(level, line.endsWith('\n') ? line.slice(0, -1) : line);
      return;
    }
    this.queued();
  }

  /** Write what is pending now. */
  flush(): void {
    pendingOutputs.delete(this);
    if (this.pending.pendingBytes === 0) return;
    process.stdout.write(this.pending.take());
  }

  private emit(level: LineLevel, text: string): void {
    if (level === 'warn' || level === 'error') {
      this.flush();
      process.stderr.write(text);
      return;
    }
    this.makeRoom(text.length * 3);
    this.pending.text(text);
    this.queued();
  }

  // Room for `maxBytes` more: what is pending is written out first when they do not fit.
  private makeRoom(maxBytes: number): void {
    if (this.pending.fits(maxBytes)) return;
    this.flush();
    this.pending.reserve(maxBytes);
  }

  // Something was added: write it out at the end of this event-loop turn, or now when a lot is pending.
  private queued(): void {
    if (this.pending.pendingBytes > FLUSH_BYTES) {
      this.flush();
      return;
    }
    if (!this.scheduled) {
      this.scheduled = true;
      pendingOutputs.add(this);
      if (!exitHookInstalled) {
        exitHookInstalled = true;
        process.on('exit', flushAll);
      }
      setImmediate(() => {
        this.scheduled = false;
        this.flush();
      });
    }
  }
}

function prettyValue(value: unknown): string {
  if (typeof value === 'string') return /^[\x21-\x7e]*$/.test(value) && value !== '' ? value : JSON.stringify(value);
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

/** The level name of a pino numeric level (30 → 'info'). */
export function levelName(level: number): LineLevel {
  return LEVEL_NAME[level] ?? 'info';
}
