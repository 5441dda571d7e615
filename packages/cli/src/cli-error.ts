/** A failure the CLI reports without a stack trace (missing file, refused handshake, …): exit code 1. */
export class CliError extends Error {
  /** `code` is stable for scripts and tests; the message says what happened and what to do. */
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CliError';
  }
}

/**
 * Renders an error for the terminal. With `showStack` (--dev): every stack in the cause chain (source-mapped to
 * the TypeScript). Otherwise: the message only when the error has a `code` (ServError, ConfigError, CliError
 * messages already name the file and what to change, and quote their cause), else the messages of the chain; and
 * a hint to rerun with --dev whenever the chain holds an error without a code, such as one thrown by user code.
 */
export function formatError(error: unknown, showStack: boolean): string {
  const chain = causeChain(error);
  if (showStack) {
    return chain
      .map((each, index) => (index === 0 ? '' : 'Caused by: ') + (each instanceof Error && each.stack !== undefined ? each.stack : String(each)))
      .join('\n');
  }
  const shown = hasCode(error) ? [chain[0]] : chain;
  const lines = shown.map((each, index) => (index === 0 ? '' : 'Caused by: ') + (each instanceof Error ? each.message : String(each)));
  if (chain.some((each) => !hasCode(each))) lines.push('(Run with --dev to see the stack trace.)');
  return lines.join('\n');
}

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && chain.length < 5 && !chain.includes(current)) {
    chain.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  return chain;
}

function hasCode(error: unknown): boolean {
  return error instanceof Error && typeof (error as Error & { code?: unknown }).code === 'string';
}
