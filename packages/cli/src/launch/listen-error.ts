import { CliError } from '../cli-error';

/** Stable code of the error `serv launch` reports when its port is taken. */
export const PORT_IN_USE = 'SERV_CLI_PORT_IN_USE';

/**
 * Turns a failed `app.listen()` into what to do next: for a port in use, which port, that another server (often
 * an earlier `serv launch`) holds it, and the `--port` flag that avoids it. Other errors pass through unchanged.
 */
export function explainListenError(error: unknown, wanted: { host: string; port: number }): unknown {
  if (errnoOf(error) !== 'EADDRINUSE') return error;
  const next = wanted.port === 0 || wanted.port >= 65535 ? 8080 : wanted.port + 1;
  return new CliError(
    PORT_IN_USE,
    `Port ${wanted.port} on ${wanted.host} is already in use (is another "serv launch" still running?). ` +
      `Stop that process, or pick another port: serv launch --port ${next} (or --port 0 for any free port).`,
    { cause: error },
  );
}

function errnoOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    const code = (current as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') return code;
    current = current.cause;
  }
  return undefined;
}
