import * as fs from 'node:fs';
import { Document, LineCounter, parseDocument } from 'yaml';
import { ConfigError, errorText } from './config-error';

/** A parsed YAML file: the Document (for comment-preserving edits and source text) and its plain JS value. */
export interface ParsedYaml {
  /** The yaml Document, kept so edits preserve comments and scalars keep their source text (`1.0`). */
  readonly document: Document.Parsed;
  /** The document as plain JS; null for an empty file or one holding only comments. */
  readonly value: unknown;
}

/** Options shared by every parse so that reading and editing agree on what a file means. */
export const YAML_OPTIONS = { merge: true, prettyErrors: false } as const;

/** Parses one YAML document, turning the first syntax error into `<file>: invalid YAML at line L, column C: ...`. */
export function parseYaml(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { ...YAML_OPTIONS, lineCounter });
  const error = document.errors[0];
  if (error !== undefined) {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    throw ConfigError.yaml(file, line, col, error.message, error);
  }
  try {
    return { document, value: document.toJS() };
  } catch (cause) {
    // Alias problems (an unknown anchor, an alias bomb) only surface when values are built, without a position.
    throw new ConfigError(`invalid YAML: ${errorText(cause)}`, { code: 'SERV_CONFIG_YAML', file, cause });
  }
}

/** Reads a config file as UTF-8; a missing file becomes `<file>: not found (<hint>)`. */
export function readConfigText(file: string, hint: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw ConfigError.notFound(file, hint, cause);
    throw ConfigError.unreadable(file, cause);
  }
}
