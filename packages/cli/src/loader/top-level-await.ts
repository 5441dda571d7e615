import type * as TypeScript from 'typescript';

/** Appended to compiled output (and kept in the cache) when the module awaits at its top level: `line:column`. */
const MARKER = '\n//# serv-top-level-await=';

/** Property of the CommonJS `module` object that holds the promise of an entry module's top-level await. */
const PROMISE_PROPERTY = '__servTopLevelAwait';

/**
 * A transformer that records where a source file first awaits outside any function (`await x`, `for await`), so
 * the loader can run that module's body as an async function. It changes nothing.
 */
export function topLevelAwaitFinder(ts: typeof TypeScript, found: (position: { line: number; column: number }) => void): TypeScript.TransformerFactory<TypeScript.SourceFile> {
  return () => (sourceFile) => {
    const visit = (node: TypeScript.Node): boolean => {
      if (ts.isFunctionLike(node) || ts.isClassStaticBlockDeclaration(node)) return false;
      if (ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier !== undefined)) {
        const { line, character } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
        found({ line: line + 1, column: character + 1 });
        return true;
      }
      return ts.forEachChild(node, visit) === true;
    };
    ts.forEachChild(sourceFile, visit);
    return sourceFile;
  };
}

/** Marks compiled output as awaiting at its top level, at `position` of the source. */
export function markTopLevelAwait(code: string, position: { line: number; column: number }): string {
  return `${code}${MARKER}${position.line}:${position.column}\n`;
}

/** Where the marked module first awaits at its top level, or undefined for an ordinary module. */
export function topLevelAwaitAt(code: string): { line: number; column: number } | undefined {
  const at = code.lastIndexOf(MARKER);
  if (at === -1) return undefined;
  const [line, column] = code.slice(at + MARKER.length).trim().split(':').map(Number);
  return { line: line ?? 1, column: column ?? 1 };
}

/**
 * Wraps a marked module's CommonJS body in an async function whose promise is kept on `module`, so `await` at the
 * top level works in the entry file. The wrapper opens on the first line and closes before the source map comment,
 * so line numbers (and stack traces) stay those of the TypeScript file.
 */
export function wrapTopLevelAwait(code: string): string {
  const body = code.slice(0, code.lastIndexOf(MARKER));
  const mapAt = body.lastIndexOf('\n//# sourceMappingURL=');
  const statements = mapAt === -1 ? body : body.slice(0, mapAt);
  const map = mapAt === -1 ? '' : body.slice(mapAt);
  return `module.${PROMISE_PROPERTY} = (async () => {${statements}\n})();${map}\n`;
}

/** The promise of a module's top-level await (after it was loaded as the entry), or undefined when it has none. */
export function topLevelAwaitOf(module: NodeModule | undefined): Promise<unknown> | undefined {
  const value = (module as (NodeModule & { [PROMISE_PROPERTY]?: Promise<unknown> }) | undefined)?.[PROMISE_PROPERTY];
  return value instanceof Promise ? value : undefined;
}
