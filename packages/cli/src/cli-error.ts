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
 * Renders an error for the terminal: the message and the messages of its causes, or with `showStack`
 * the full stacks. Errors with a `code` (ServError, ConfigError, CliError) are expected and never get a
 * stack unless asked; anything else is a bug and gets a hint to rerun with --dev.
 */
export function formatError(error: unknown, showStack: boolean): string {
  const lines: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth += 1) {
    const prefix = depth === 0 ? '' : 'Caused by: ';
    if (current instanceof Error) {
      lines.push(prefix + (showStack && current.stack !== undefined ? current.stack : current.message));
      current = current.cause;
    } else {
      lines.push(prefix + String(current));
      current = undefined;
    }
  }
  if (!showStack && !hasCode(error)) lines.push('(Run with --dev to see the stack trace.)');
  return lines.join('\n');
}

function hasCode(error: unknown): boolean {
  return error instanceof Error && typeof (error as Error & { code?: unknown }).code === 'string';
}
