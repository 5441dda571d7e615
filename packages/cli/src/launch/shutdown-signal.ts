/** IPC message a supervisor or cluster primary sends to ask a server process to shut down gracefully. */
export const SHUTDOWN_MESSAGE = 'serv:shutdown';

/** What asked the process to stop. */
export type ShutdownReason = 'SIGINT' | 'SIGTERM' | 'ipc' | 'parent-gone';

/**
 * Resolves on the first SIGINT/SIGTERM (or, in a child process, a shutdown message or the parent going away) so the
 * caller can close gracefully. A second signal while shutting down exits at once with code 1, as users expect
 * from a second Ctrl+C.
 */
export function waitForShutdown(options: { watchParent: boolean }): Promise<ShutdownReason> {
  return new Promise((resolve) => {
    let requested = false;
    const request = (reason: ShutdownReason): void => {
      if (requested) {
        if (reason === 'SIGINT' || reason === 'SIGTERM') {
          process.stderr.write(`Received ${reason} again; exiting without waiting for connections to close\n`);
          process.exit(1);
        }
        return;
      }
      requested = true;
      resolve(reason);
    };
    process.on('SIGINT', () => request('SIGINT'));
    process.on('SIGTERM', () => request('SIGTERM'));
    if (options.watchParent && typeof process.send === 'function') {
      process.on('message', (message: unknown) => {
        if (isMessage(message, SHUTDOWN_MESSAGE)) request('ipc');
      });
      // An orphaned server would keep the port; leave when the supervisor or primary dies.
      process.on('disconnect', () => request('parent-gone'));
    }
  });
}

/** True when an IPC message is an object with the given `type`. */
export function isMessage(message: unknown, type: string): message is { type: string } & Record<string, unknown> {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;
}
