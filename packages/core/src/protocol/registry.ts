import type { Protocol } from './protocol';

const registry = new Map<string, Protocol>();

/** Make a protocol available to every app; a protocol package calls this when it is imported. */
export function registerProtocol(protocol: Protocol): void {
  registry.set(protocol.kind, protocol);
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
