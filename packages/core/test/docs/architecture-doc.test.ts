import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// docs/architecture.md names files by path; a map that points at files that moved is worse than none.
const ROOT = join(__dirname, '..', '..', '..', '..');

describe('docs/architecture.md', () => {
  const doc = readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8');
  const paths = [...doc.matchAll(/`((?:core|websocket|cli)\/src\/[\w./-]+)`/g)].map((m) => m[1] as string);

  it('names source files and folders', () => {
    expect(paths.length).toBeGreaterThan(20);
  });

  it('names only files and folders that exist', () => {
    expect(paths.filter((p) => !existsSync(join(ROOT, 'packages', p)))).toEqual([]);
  });

  it('is linked from the README', () => {
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain('(docs/architecture.md)');
  });
});
