import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';

/** Settings of a ChangeWatcher. */
export interface ChangeWatcherOptions {
  /** Quiet period after the last change before `onChange` fires, so one save (or `git checkout`) restarts once. */
  readonly debounceMs: number;
  /** Called with the changed files, relative to `cwd` when inside it. */
  readonly onChange: (files: readonly string[]) => void;
  readonly cwd: string;
}

// Editor swap files, VCS folders and installed packages never need a restart.
const IGNORED = /(^|[\\/])(node_modules|\.git|\.cache)([\\/]|$)|(\.swp|\.swx|~|\.tmp)$/;

/**
 * Watches single files (through their folder, because editors replace files by renaming) and whole folder trees
 * (fs.watch recursive), and reports debounced batches of changed paths. Watching a path twice is a no-op.
 */
export class ChangeWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly files = new Map<string, Set<string>>();
  private readonly trees = new Set<string>();
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: ChangeWatcherOptions) {}

  /** Watches every file and folder below `dir`; a missing folder is skipped (there is nothing to change yet). */
  watchTree(dir: string): void {
    if (this.trees.has(dir)) return;
    if (this.open(`tree:${dir}`, dir, true, (name) => this.record(join(dir, name)))) this.trees.add(dir);
  }

  /** Watches one file, even when it is replaced rather than rewritten. */
  watchFile(file: string): void {
    if ([...this.trees].some((tree) => file.startsWith(tree + sep))) return;
    const dir = dirname(file);
    let names = this.files.get(dir);
    if (names === undefined) {
      names = new Set();
      const watched = names;
      const opened = this.open(`dir:${dir}`, dir, false, (name) => {
        if (watched.has(name)) this.record(join(dir, name));
      });
      if (!opened) return;
      this.files.set(dir, names);
    }
    names.add(basename(file));
  }

  /** Stops every watcher and any pending notification. */
  close(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  private open(key: string, dir: string, recursive: boolean, onName: (name: string) => void): boolean {
    if (this.watchers.has(key)) return true;
    try {
      const watcher = watch(dir, { recursive, persistent: true }, (_event, name) => {
        if (name !== null && !IGNORED.test(name.toString())) onName(name.toString());
      });
      watcher.on('error', (error) => process.stderr.write(`Stopped watching ${dir}: ${error.message}\n`));
      this.watchers.set(key, watcher);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  private record(file: string): void {
    const rel = relative(this.options.cwd, file);
    this.pending.add(rel.startsWith('..') ? file : rel);
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const files = [...this.pending];
      this.pending = new Set();
      this.timer = undefined;
      this.options.onChange(files);
    }, this.options.debounceMs);
  }
}
