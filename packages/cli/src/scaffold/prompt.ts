import { createInterface } from 'node:readline/promises';
import type { FlagValues } from '../args/command-spec';

/** True when questions may be asked: stdin is a terminal and --non-interactive was not given. */
export function canPrompt(flags: FlagValues): boolean {
  return process.stdin.isTTY === true && flags['non-interactive'] !== true;
}

/** Asks one question on the terminal; an empty answer takes `defaultValue`. */
export async function ask(question: string, defaultValue: string): Promise<string> {
  const lines = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const suffix = defaultValue === '' ? '' : ` [${defaultValue}]`;
    const answer = (await lines.question(`${question}${suffix}: `)).trim();
    return answer === '' ? defaultValue : answer;
  } finally {
    lines.close();
  }
}
