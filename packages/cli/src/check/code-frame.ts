/**
 * A three-line excerpt of a source file around `line` (1-based): the line before, the line itself marked with `>`,
 * a caret line under `column` (1-based) spanning `length` characters, and the line after, numbered like
 *
 *     3 | export class Counter {
 *   > 4 |   count: number = 'zero';
 *       |   ^^^^^
 *     5 | }
 */
export function codeFrame(source: string, line: number, column: number, length = 1): string {
  const lines = source.split(/\r?\n/);
  const first = Math.max(1, line - 1);
  const last = Math.min(lines.length, line + 1);
  const width = String(last).length;
  const out: string[] = [];
  for (let number = first; number <= last; number += 1) {
    const text = (lines[number - 1] ?? '').replace(/\t/g, '  ');
    const marker = number === line ? '>' : ' ';
    out.push(`  ${marker} ${String(number).padStart(width)} | ${text}`.trimEnd());
    if (number === line) {
      // Tabs were widened to two spaces above, so widen them before the column too.
      const before = (lines[number - 1] ?? '').slice(0, Math.max(0, column - 1)).replace(/\t/g, '  ');
      const span = Math.max(1, Math.min(length, text.length - before.length));
      out.push(`    ${' '.repeat(width)} | ${' '.repeat(before.length)}${'^'.repeat(span)}`);
    }
  }
  return out.join('\n');
}
