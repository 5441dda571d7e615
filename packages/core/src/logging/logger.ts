import pino, { type Logger as PinoLogger } from 'pino';
import { levelName, LogOutput, type LineLevel, type LogFormat, type LogLevel, type LogSink } from './log-output';

export type { LineLevel, LogFormat, LogLevel, LogSink } from './log-output';

/** Structured fields of one line (JSON keys next to `msg`; `key=value` after the message in the pretty format). */
export type LogFields = Record<string, unknown>;

interface PinoStream {
  write(line: string): void;
  lastLevel?: number;
  lastMsg?: string;
  lastObj?: Record<string, unknown>;
}

/** The `format` a logger gets when none is given: pretty on a terminal, JSON otherwise (a pipe, a file, a collector). */
export function defaultLogFormat(): LogFormat {
  return process.stdout.isTTY === true ? 'pretty' : 'json';
}

/**
 * The injectable logger, backed by pino: one line per call, `time LEVEL [name] message` in the pretty format or one
 * pino JSON object (`level`, `time`, `pid`, `hostname`, `name`, `msg`, fields, `err`) in the JSON format.
 * Debug and info lines go to stdout, warnings and errors to stderr, unless a sink is given.
 * @example
 * constructor(private readonly log: Logger) {}
 * this.log.info('Cache warmed');
 */
export class Logger {
  readonly #pino: PinoLogger;
  readonly #output: LogOutput;
  /** Whether info lines are written, kept with the level: the request log asks once per request. */
  #infoEnabled: boolean;

  constructor(
    readonly name = 'serv',
    level: LogLevel = 'info',
    sink?: LogSink,
    format?: LogFormat,
    output?: LogOutput,
  ) {
    this.#output = output ?? new LogOutput(format ?? (sink === undefined ? defaultLogFormat() : 'pretty'), sink);
    const out = this.#output;
    const stream: PinoStream = {
      write(line: string): void {
        const lineLevel = levelName(stream.lastLevel ?? 30);
        if (out.format === 'json') out.writeJson(lineLevel, line);
        else out.writePretty(lineLevel, name, stream.lastMsg ?? '', stream.lastObj);
      },
    };
    (stream as unknown as Record<symbol, boolean>)[pino.symbols.needsMetadataGsym] = true;
    this.#pino = pino({ name, level }, stream);
    this.#infoEnabled = this.#pino.isLevelEnabled('info');
  }

  /** The lowest level written; assigning changes it for this logger only. */
  get level(): LogLevel {
    return this.#pino.level as LogLevel;
  }

  set level(level: LogLevel) {
    this.#pino.level = level;
    this.#infoEnabled = this.#pino.isLevelEnabled('info');
  }

  /** `pretty` or `json`. */
  get format(): LogFormat {
    return this.#output.format;
  }

  /** A logger with another name sharing this one's level, format and destination. */
  child(name: string): Logger {
    return new Logger(name, this.level, undefined, undefined, this.#output);
  }

  /** Whether a line of this level would be written (guard costly messages with it). */
  enabled(level: LineLevel): boolean {
    return level === 'info' ? this.#infoEnabled : this.#pino.isLevelEnabled(level);
  }

  debug(message: string): void {
    this.#pino.debug(message);
  }

  info(message: string): void {
    this.#pino.info(message);
  }

  warn(message: string): void {
    this.#pino.warn(message);
  }

  /** Log an error; the error's stack (and causes) follow the message (JSON: an `err` object). */
  error(message: string, error?: unknown): void {
    if (error === undefined) this.#pino.error(message);
    else this.#pino.error({ err: error }, message);
  }

  /** One line with structured fields: JSON keys beside `msg`; the pretty format appends them as `key=value`. */
  log(level: LineLevel, message: string, fields: LogFields): void {
    this.#pino[level](fields, message);
  }

  /**
   * Where the request log serialises its JSON lines itself (same destination and order as every other line), or
   * undefined in the pretty format.
   * @internal
   */
  jsonOutput(): LogOutput | undefined {
    return this.#output.format === 'json' ? this.#output : undefined;
  }

  /**
   * Writes a line built by the caller (the request log's own fast serializer), after the level check the caller
   * made with `enabled()`: a whole JSON line (with its newline) when `format` is `json`, else the pretty message.
   * @internal
   */
  writeBuilt(level: LineLevel, text: string): void {
    if (this.#output.format === 'json') this.#output.writeJson(level, text);
    else this.#output.writePretty(level, this.name, text);
  }
}
