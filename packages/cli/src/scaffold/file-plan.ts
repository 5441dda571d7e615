import { existsSync, mkdirSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { writeAtomically } from './yaml-edit';

/** One file a scaffolding command will write. */
export interface PlannedFile {
  readonly path: string;
  readonly text: string;
  /**
   * `new`: refuse when it exists (unless --force); `update`: an edit of an existing file (YAML registration);
   * `if-missing`: a helper file (tsconfig.json) written only when absent.
   */
  readonly mode: 'new' | 'update' | 'if-missing';
}

/**
 * Writes a scaffolding plan all-or-nothing: when any `new` file exists and `force` is off it writes nothing,
 * warns and resolves 1; otherwise it writes every file and prints what it did, resolving 0.
 */
export function applyPlan(files: readonly PlannedFile[], options: { force: boolean; cwd?: string }): number {
  const cwd = options.cwd ?? process.cwd();
  const shown = (file: string): string => relative(cwd, file) || file;
  const clashes = files.filter((file) => file.mode === 'new' && existsSync(file.path));
  if (clashes.length > 0 && !options.force) {
    const names = clashes.map((file) => shown(file.path)).join(', ');
    const verb = clashes.length === 1 ? 'exists' : 'exist';
    process.stderr.write(`Warning: ${names} already ${verb}; nothing was written (use --force to overwrite).\n`);
    return 1;
  }
  for (const file of files) {
    if (file.mode === 'if-missing' && existsSync(file.path)) continue;
    const existed = existsSync(file.path);
    mkdirSync(dirname(file.path), { recursive: true });
    writeAtomically(file.path, file.text);
    const verb = file.mode === 'update' ? 'Updated' : existed ? 'Overwrote' : 'Created';
    process.stdout.write(`${verb} ${shown(file.path)}\n`);
  }
  return 0;
}
