import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { assertBuilt, childEnv, makeTempDir, removeTempDir } from '../helpers/serv-process';

const REGISTER = resolve(__dirname, '..', '..', 'dist', 'register.js');
const CLI_CORE = require.resolve('@serv/core/package.json', { paths: [resolve(__dirname, '..', '..')] });

// A TS module with constructor injection and decorated method parameters, using only its own decorators so the
// test is about the loader, not about @serv/core.
const HANDLER_TS = `
const params: Array<{ method: string; index: number }> = [];
export function Service(): ClassDecorator { return () => undefined; }
export function Inject(): ParameterDecorator {
  return (_target, method, index) => { params.push({ method: String(method), index }); };
}
@Service()
export class Clock { now(): number { return 1; } }
@Service()
export class Greeter {
  constructor(private readonly clock: Clock) {}
  greet(@Inject() name: string, @Inject() clock: Clock): string { return name + this.clock.now() + String(clock); }
}
export const recorded = params;
`;

// Prints what the loader produced, as JSON, from a separate node process started with -r dist/register.js.
const PROBE_JS = `
const handler = require('./handler.ts');
const names = (types) => (types || []).map((type) => type.name);
const coreFromApp = require.resolve('@serv/core');
console.log(JSON.stringify({
  ctor: names(Reflect.getMetadata('design:paramtypes', handler.Greeter)),
  method: names(Reflect.getMetadata('design:paramtypes', handler.Greeter.prototype, 'greet')),
  decorated: handler.recorded,
  typescriptLoaded: Object.keys(require.cache).some((file) => /[\\\\/]typescript[\\\\/]lib[\\\\/]typescript\\.js$/.test(file)),
  coreFromApp,
}));
`;

interface Probe {
  ctor: string[];
  method: string[];
  decorated: Array<{ method: string; index: number }>;
  typescriptLoaded: boolean;
  coreFromApp: string;
}

function probe(cwd: string, cacheDir: string): Promise<Probe> {
  return new Promise((resolveProbe, reject) => {
    const child = spawn(process.execPath, ['-r', REGISTER, 'probe.js'], { cwd, env: childEnv({ SERV_TS_CACHE_DIR: cacheDir }) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('close', (code) => (code === 0 ? resolveProbe(JSON.parse(stdout) as Probe) : reject(new Error(`probe exited ${code}: ${stderr}`))));
  });
}

describe('registerTypeScript', () => {
  let dir: string;
  beforeAll(assertBuilt);
  beforeEach(() => {
    dir = makeTempDir();
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'app', 'handler.ts'), HANDLER_TS);
    writeFileSync(join(dir, 'app', 'probe.js'), PROBE_JS);
  });
  afterEach(() => removeTempDir(dir));

  it('keeps design:paramtypes for constructor and decorated method parameters', async () => {
    const result = await probe(join(dir, 'app'), join(dir, 'cache'));
    expect(result.ctor).toEqual(['Clock']);
    expect(result.method).toEqual(['String', 'Clock']);
    expect(result.decorated).toEqual([
      { method: 'greet', index: 1 },
      { method: 'greet', index: 0 },
    ]);
  });

  it('serves the second load from the disk cache without loading typescript', async () => {
    const cacheDir = join(dir, 'cache');
    const cold = await probe(join(dir, 'app'), cacheDir);
    expect(cold.typescriptLoaded).toBe(true);
    expect(readdirSync(cacheDir).filter((file) => file.endsWith('.js'))).toHaveLength(1);
    const warm = await probe(join(dir, 'app'), cacheDir);
    expect(warm.typescriptLoaded).toBe(false);
    expect(warm.ctor).toEqual(['Clock']);
  });

  it('recompiles when the source changes', async () => {
    const cacheDir = join(dir, 'cache');
    await probe(join(dir, 'app'), cacheDir);
    writeFileSync(join(dir, 'app', 'handler.ts'), `${HANDLER_TS}\nexport const changed = true;\n`);
    const again = await probe(join(dir, 'app'), cacheDir);
    expect(again.typescriptLoaded).toBe(true);
    expect(readdirSync(cacheDir).filter((file) => file.endsWith('.js'))).toHaveLength(2);
  });

  it('resolves @serv/core from a folder without node_modules to the CLI copy', async () => {
    const result = await probe(join(dir, 'app'), join(dir, 'cache'));
    expect(result.coreFromApp).toBe(require.resolve(join(CLI_CORE, '..')));
  });
});
