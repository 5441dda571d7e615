import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';

const ROOT = resolve(__dirname, '../../../..');
const DIST = join(ROOT, 'packages/websocket/dist');
const INDEX = join(DIST, 'index.d.ts');

/**
 * Every `_`-prefixed member (own or inherited, instance or static) that a public class of the typings rooted at
 * `indexFile` exposes, as "Class._member"; only members declared under `declaredUnder` count.
 */
function underscoreMembers(program: ts.Program, indexFile: string, declaredUnder: string): string[] {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(indexFile);
  const moduleSymbol = source === undefined ? undefined : checker.getSymbolAtLocation(source);
  if (moduleSymbol === undefined) throw new Error(`${indexFile} has no module symbol`);
  const found: string[] = [];
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if ((symbol.flags & ts.SymbolFlags.Class) === 0) continue;
    const instance = checker.getDeclaredTypeOfSymbol(symbol);
    const staticSide = checker.getTypeOfSymbol(symbol);
    for (const type of [instance, staticSide]) {
      for (const member of checker.getPropertiesOfType(type)) {
        const file = member.declarations?.[0]?.getSourceFile().fileName ?? '';
        // Symbol-keyed members (`[Symbol.asyncIterator]`) have internal names starting "__@"; they are not `_` names.
        const symbolKeyed = member.name.startsWith('__@');
        if (member.name.startsWith('_') && !symbolKeyed && file.startsWith(declaredUnder)) found.push(`${exported.name}.${member.name}`);
      }
    }
  }
  return found.sort();
}

/** A program over in-memory declaration files, for the check's own control case. */
function programOf(files: Record<string, string>): ts.Program {
  const host = ts.createCompilerHost({});
  const read = host.readFile.bind(host);
  host.readFile = (name) => files[name] ?? read(name);
  host.fileExists = (name) => name in files || ts.sys.fileExists(name);
  host.directoryExists = (name) => Object.keys(files).some((file) => file.startsWith(name)) || ts.sys.directoryExists(name);
  host.getSourceFile = (name, version) => {
    const text = host.readFile(name);
    return text === undefined ? undefined : ts.createSourceFile(name, text, version);
  };
  return ts.createProgram(Object.keys(files), { noEmit: true, types: [] }, host);
}

describe('the published typings of @serv/websocket', () => {
  beforeAll(async () => {
    // `npm test` builds before Jest runs; building here too keeps `npx jest` on this file honest (a no-op when fresh).
    await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'packages/websocket'], {
      cwd: ROOT,
    });
  }, 180_000);

  it('expose no _-prefixed member on any public class (internals are #private or @internal + stripInternal)', () => {
    expect(existsSync(INDEX)).toBe(true);
    const program = ts.createProgram([INDEX], { noEmit: true, skipLibCheck: true });
    const classes = program
      .getTypeChecker()
      .getExportsOfModule(program.getTypeChecker().getSymbolAtLocation(program.getSourceFile(INDEX) as ts.SourceFile) as ts.Symbol)
      .map((s) => s.name);
    // The check must see the public classes at all, or it would pass on an empty list.
    expect(classes).toEqual(expect.arrayContaining(['WebSocket', 'WebSocketHub', 'WebSocketConnectionError', 'TestWebSocket']));
    expect(underscoreMembers(program, INDEX, DIST)).toEqual([]);
  });

  it('the check finds an inherited, a static and a private _ member (control)', () => {
    const base = '/virtual/dist/';
    const program = programOf({
      [`${base}index.d.ts`]: "export { Leaky } from './leaky';",
      [`${base}leaky.d.ts`]:
        'declare class Base { protected _inherited(): void; }\n' +
        'export declare class Leaky extends Base { #private; private _state; static _count: number; ok: number; }',
    });
    expect(underscoreMembers(program, `${base}index.d.ts`, base)).toEqual([
      'Leaky._count',
      'Leaky._inherited',
      'Leaky._state',
    ]);
  });
});
