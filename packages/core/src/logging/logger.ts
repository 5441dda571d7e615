/** Log levels, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

/** Where log lines go; the default writes to stdout (debug, info) and stderr (warn, error). */
export type LogSink = (level: Exclude<LogLevel, 'silent'>, line: string) => void;

const defaultSink: LogSink = (level, line) => {
  (level === 'warn' || level === 'error' ? process.stderr : process.stdout).write(`${line}\n`);
};

/** The injectable logger: one line per call, `time level [name] message`. */
export class Logger {
  constructor(
    readonly name = 'serv',
    public level: LogLevel = 'info',
    private readonly sink: LogSink = defaultSink,
  ) {}

  /** A logger with another name sharing this one's level and sink. */
  child(name: string): Logger {
    const child = new Logger(name, this.level, this.sink);
    return child;
  }

  /** Whether a line of this level would be written (guard costly messages with it). */
  enabled(level: Exclude<LogLevel, 'silent'>): boolean {
    return RANK[level] >= RANK[this.level];
  }

  debug(message: string): void {
    this.log('debug', message);
  }

  info(message: string): void {
    this.log('info', message);
  }

  warn(message: string): void {
    this.log('warn', message);
  }

  /** Log an error; the error's stack (and causes) follow the message. */
  error(message: string, error?: unknown): void {
    if (!this.enabled('error')) return;
    this.log('error', error === undefined ? message : `${message}\n${formatError(error)}`);
  }

  private log(level: Exclude<LogLevel, 'silent'>, message: string): void {
    if (RANK[level] < RANK[this.level]) return;
    this.sink(level, `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} [${this.name}] ${message}`);
  }
}

function formatError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  let text = error.stack ?? `${error.name}: ${error.message}`;
  let cause = error.cause;
  while (cause instanceof Error) {
    text += `\nCaused by: ${cause.stack ?? cause.message}`;
    cause = cause.cause;
  }
  return text;
}
