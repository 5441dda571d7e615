import type { Protocol } from './protocol';

const registry = new Map<string, Protocol>();
const watchers: Array<() => void> = [];

/** Make a protocol available to every app; a protocol package calls this when it is imported. */
export function registerProtocol(protocol: Protocol): void {
  registry.set(protocol.kind, protocol);
  for (const watcher of watchers) watcher();
}

/** Call `watcher` after every registration (lists derived from the protocols, such as `SETTINGS_KEYS`, stay current). */
export function onProtocolRegistered(watcher: () => void): void {
  watchers.push(watcher);
}

/** The installed protocol serving `kind`, or undefined when no imported package registered one. */
export function getProtocol(kind: string): Protocol | undefined {
  return registry.get(kind);
}

/** Every installed protocol, in registration order. */
export function registeredProtocols(): Protocol[] {
  return [...registry.values()];
}

/**
 * What to tell someone whose config or code uses a protocol that is not installed: core never loads a protocol by
 * itself (that would make it depend on the package), so the package must be imported first.
 */
export function protocolInstallHint(kind: string): string {
  return `install @serv/${kind} (npm install @serv/${kind}) and import it before the app or config is loaded ` +
    `(import '@serv/${kind}'); serv launch does this for you`;
}
