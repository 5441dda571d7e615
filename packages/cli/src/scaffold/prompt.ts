import { createInterface } from 'node:readline';
import type { FlagValues } from '../args/command-spec';

/** True when questions may be asked: stdin is a terminal and --non-interactive was not given. */
export function canPrompt(flags: FlagValues): boolean {
  return process.stdin.isTTY === true && flags['non-interactive'] !== true;
}

// One reader for the whole command: answers typed (or pasted) ahead of their question stay buffered in order.
let answers: AsyncIterator<string> | undefined;

/** Asks one question on the terminal; an empty answer, or the end of input, takes `defaultValue`. */
export async function ask(question: string, defaultValue: string): Promise<string> {
  answers ??= createInterface({ input: process.stdin, terminal: false })[Symbol.asyncIterator]();
  const suffix = defaultValue === '' ? '' : ` [${defaultValue}]`;
  process.stderr.write(`${question}${suffix}: `);
  const next = await answers.next();
  const answer = next.done === true ? '' : String(next.value).trim();
  return answer === '' ? defaultValue : answer;
}
