import type { ParsedCommand } from '../args/command-spec';
import { UsageError } from '../args/usage-error';

/** Default wait for the handshake and for the expected reply, in milliseconds. */
export const DEFAULT_WS_TIMEOUT_MS = 5000;

/** Validated options of `serv ws`. */
export interface WsClientOptions {
  readonly url: string;
  /** Messages for one-shot mode; empty with no `expect` means interactive mode. */
  readonly send: readonly string[];
  readonly expect: string | undefined;
  readonly timeoutMs: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly subprotocols: readonly string[];
  readonly binary: boolean;
  readonly verbose: boolean;
}

/** Reads the `serv ws` flags; a malformed URL, header or timeout is a usage error (exit 2). */
export function readWsClientOptions(parsed: ParsedCommand): WsClientOptions {
  const where = 'serv ws';
  const url = parsed.positionals[0]!;
  let parsedUrl: URL;
  try {
    parsedUrl = new URL(url);
  } catch {
    throw new UsageError(`URL must look like ws://host:port/path, got "${url}".`, where);
  }
  if (parsedUrl.protocol !== 'ws:' && parsedUrl.protocol !== 'wss:') {
    const hint = parsedUrl.protocol.startsWith('http') ? ` Did you mean "${url.replace(/^http/, 'ws')}"?` : '';
    throw new UsageError(`URL must start with ws:// or wss://, got "${url}".${hint}`, where);
  }
  const timeoutMs = (parsed.flags.timeout as number | undefined) ?? DEFAULT_WS_TIMEOUT_MS;
  if (timeoutMs <= 0) throw new UsageError(`Flag "--timeout" must be a positive number of milliseconds, got ${timeoutMs}.`, where);
  const headers: Record<string, string> = {};
  for (const header of (parsed.flags.header as readonly string[] | undefined) ?? []) {
    const colon = header.indexOf(':');
    if (colon <= 0) throw new UsageError(`Flag "--header" must look like "Name: value", got "${header}".`, where);
    headers[header.slice(0, colon).trim()] = header.slice(colon + 1).trim();
  }
  return {
    url,
    send: (parsed.flags.send as readonly string[] | undefined) ?? [],
    expect: parsed.flags.expect as string | undefined,
    timeoutMs,
    headers,
    subprotocols: (parsed.flags.subprotocol as readonly string[] | undefined) ?? [],
    binary: parsed.flags.binary === true,
    verbose: parsed.flags.verbose === true,
  };
}
