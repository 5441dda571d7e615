import { UsageError } from '../args/usage-error';

/** The spellings of one user-given name that scaffolding needs. */
export interface NameForms {
  /** As typed, trimmed: `Chat Room`. */
  readonly display: string;
  /** File and folder names, YAML ids: `chat_room`. */
  readonly snake: string;
  /** Class names: `ChatRoom`. */
  readonly pascal: string;
  /** Function names: `chatRoom`. */
  readonly camel: string;
}

/** Splits `Chat Room`, `chat-room`, `chatRoom` or `chat_room` into words and spells them every way. */
export function nameForms(raw: string, where: string): NameForms {
  const display = raw.trim();
  const words = display
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '')
    .map((word) => word.toLowerCase());
  if (words.length === 0 || !/^[a-z]/.test(words[0]!)) {
    throw new UsageError(`--name must start with a letter and contain letters or digits, got "${raw}".`, where);
  }
  const capitalised = words.map((word) => word[0]!.toUpperCase() + word.slice(1));
  return {
    display,
    snake: words.join('_'),
    pascal: capitalised.join(''),
    camel: words[0]! + capitalised.slice(1).join(''),
  };
}

/** A URL path with exactly one leading slash: `hello` → `/hello`. */
export function normaliseRoutePath(path: string): string {
  const trimmed = path.trim().replace(/^\/+/, '');
  return `/${trimmed}`;
}
