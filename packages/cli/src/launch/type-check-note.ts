/** What `serv launch` without --dev says once, so nobody mistakes a served app for a type-checked one. */
export const NO_TYPE_CHECK_NOTE =
  'Note: serv launch runs your TypeScript without type-checking it. Run "serv check" to see type errors, or "serv launch --dev" to check in the background.';

let noted = false;

/**
 * Prints the note on stderr (stdout's first line belongs to `Serv listening on`), once per process, once the app
 * serves: a note before a load error would only bury the error. `--dev` type-checks instead, so it stays quiet.
 */
export function noteNoTypeCheck(dev: boolean): void {
  if (dev || noted) return;
  noted = true;
  process.stderr.write(`${NO_TYPE_CHECK_NOTE}\n`);
}
