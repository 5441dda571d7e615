import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '../../src/config';

/** Absolute path of a file under test/fixtures/config. */
export function fixturePath(...parts: string[]): string {
  return path.join(__dirname, '..', 'fixtures', 'config', ...parts);
}

/** The text of a file under test/fixtures/config. */
export function fixtureText(...parts: string[]): string {
  return fs.readFileSync(fixturePath(...parts), 'utf8');
}

/** Runs `action`, expecting it to throw a ConfigError, and returns that error for exact assertions. */
export function configErrorFrom(action: () => unknown): ConfigError {
  try {
    action();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError, but nothing was thrown');
}
