/**
 * How a connection ended: its close code and reason, and what its handler threw. Created at the first of these, so
 * an open connection keeps one empty field for them instead of three.
 */
export class ConnectionEnd {
  /** The close code, null until the connection closed. */
  code: number | null = null;
  /** The close reason, null until the connection closed. */
  reason: string | null = null;
  /** What the handler threw, if it did. */
  error: unknown = undefined;
}
