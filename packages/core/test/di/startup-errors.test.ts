import * as ts from 'typescript';
import * as core from '@serv/core';
import {
  createApp, createTestClient, Get, Inject, InjectionError, Injectable, Logger, Param, Route, type AppOptions, type Constructor,
} from '@serv/core';
import { CycleA } from '../fixtures/di/cycle-a';
import { DelayedA } from '../fixtures/di/delayed-a';

const silent = (): Logger => new Logger('test', 'silent');

interface Greeter {
  greet(name: string): string;
}
const GREETER = 'GREETER';

@Route('/greet/{name}')
class InterfaceParamRoute {
  @Get() get(@Inject() greeter: Greeter, @Param('name') name: string) {
    return greeter.greet(name);
  }
}

@Route('/greet/{name}')
class UndecoratedInterfaceRoute {
  @Get() get(@Param('name') name: string, greeter: Greeter) {
    return greeter.greet(name);
  }
}

@Route('/items/{id:int}')
class UndecoratedPrimitiveRoute {
  @Get() get(@Param('id') id: number, page: number) {
    return { id, page };
  }
}

@Route('/items/{id:int}')
class MisnamedParamRoute {
  @Get() get(@Param('itemId') itemId: number) {
    return itemId;
  }
}

@Route('/greet')
class InterfaceConstructorRoute {
  constructor(private readonly greeter: Greeter) {}
  @Get() get() {
    return this.greeter.greet('x');
  }
}

@Route('/greet/{name}')
class TokenRoute {
  @Get() get(@Inject(GREETER) greeter: Greeter, @Param('name') name: string) {
    return greeter.greet(name);
  }
}

@Route('/greet')
class TokenConstructorRoute {
  constructor(@Inject(GREETER) private readonly greeter: Greeter) {}
  @Get() get() {
    return this.greeter.greet('ctor');
  }
}

// A cycle inside one file: the metadata is written by hand because a class cannot name one declared after it.
@Injectable()
class Chicken {
  constructor(readonly egg: unknown) {}
}
@Injectable()
class Egg {
  constructor(readonly chicken: unknown) {}
}
Reflect.defineMetadata('design:paramtypes', [Egg], Chicken);
Reflect.defineMetadata('design:paramtypes', [Chicken], Egg);

@Route('/farm')
class FarmRoute {
  constructor(readonly chicken: Chicken) {}
  @Get() get() {
    return 'farm';
  }
}

@Route('/cycle')
class CycleImportRoute {
  @Get() get(@Inject() a: CycleA) {
    return String(a);
  }
}

@Route('/cycle')
class DelayedCycleRoute {
  constructor(private readonly a: DelayedA) {}
  @Get() get() {
    return { name: this.a.b.a.name };
  }
}

class NoticeListener {
  constructor(readonly log: Logger) {}
  @core.On('app.startup') started() {
    this.log.info('started');
  }
}

/** Compile TypeScript the way a build without `emitDecoratorMetadata` does, and load it against @serv/core. */
function compileWithoutMetadata(source: string): Record<string, Constructor> {
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: {
      experimentalDecorators: true,
      emitDecoratorMetadata: false,
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
    },
  });
  const exports: Record<string, Constructor> = {};
  const load = (id: string): unknown => {
    if (id !== '@serv/core') throw new Error(`unexpected import ${id}`);
    return core;
  };
  new Function('exports', 'require', outputText)(exports, load);
  return exports;
}

const withoutMetadata = compileWithoutMetadata(`
import { Get, Inject, Route } from '@serv/core';
export class Clock { now() { return 1; } }
@Route('/time')
export class TimeRoute {
  @Get() get(@Inject() clock: Clock) { return clock.now(); }
}
@Route('/time')
export class TimeConstructorRoute {
  constructor(private readonly clock: Clock) {}
  @Get() get() { return this.clock.now(); }
}
`);

/** The route's source as the error messages print it: `@Route on Class (file:line)`. */
function sourceOf(cls: Constructor): string {
  return createApp({ routes: [cls], logger: silent() }).routeTable()[0].source;
}

function prepareError(options: AppOptions): InjectionError {
  const app = createApp({ logger: silent(), ...options });
  try {
    app.prepare();
  } catch (err) {
    return err as InjectionError;
  }
  throw new Error('app.prepare() did not throw');
}

describe('startup injection errors', () => {
  it('records where each route class was declared', () => {
    expect(sourceOf(InterfaceParamRoute)).toMatch(/^@Route on InterfaceParamRoute \((?:.*\/)?startup-errors\.test\.ts:\d+\)$/);
  });

  it('rejects an interface-typed @Inject() parameter without a token, naming class, method and position', () => {
    const err = prepareError({ routes: [InterfaceParamRoute] });
    expect(err).toBeInstanceOf(InjectionError);
    expect(err.code).toBe('SERV_INJECTION');
    expect(err.message).toBe(
      `Cannot resolve parameter #0 of InterfaceParamRoute.get (${sourceOf(InterfaceParamRoute)}): its type is Object ` +
        '(an interface, a primitive or a type-only import compiles to that); pass a token: @Inject(TOKEN)',
    );
  });

  it('rejects an undecorated interface-typed parameter, suggesting a decorator', () => {
    expect(prepareError({ routes: [UndecoratedInterfaceRoute] }).message).toBe(
      `Cannot resolve parameter #1 of UndecoratedInterfaceRoute.get (${sourceOf(UndecoratedInterfaceRoute)}): its type is Object ` +
        '(an interface, a primitive or a type-only import compiles to that); add a decorator (@Param, @Query, @Header, @Cookie, @Body, @Settings) or @Inject(TOKEN)',
    );
  });

  it('rejects a primitive parameter without a decorator', () => {
    expect(prepareError({ routes: [UndecoratedPrimitiveRoute] }).message).toBe(
      `Cannot resolve parameter #1 of UndecoratedPrimitiveRoute.get (${sourceOf(UndecoratedPrimitiveRoute)}): its type is Number ` +
        '(an interface, a primitive or a type-only import compiles to that); add a decorator (@Param, @Query, @Header, @Cookie, @Body, @Settings) or @Inject(TOKEN)',
    );
  });

  it('rejects a handler parameter of a class compiled without emitDecoratorMetadata', () => {
    expect(prepareError({ routes: [withoutMetadata.TimeRoute] }).message).toBe(
      'Cannot resolve parameter #0 of TimeRoute.get (@Route on TimeRoute): no type metadata was emitted; ' +
        'compile with "emitDecoratorMetadata": true (serv launch does this for you) or pass a token: @Inject(MyService)',
    );
  });

  it('rejects a constructor of a class compiled without emitDecoratorMetadata', () => {
    expect(prepareError({ routes: [withoutMetadata.TimeConstructorRoute] }).message).toBe(
      "TimeConstructorRoute.get (@Route on TimeConstructorRoute): TimeConstructorRoute's constructor takes 1 parameter(s) but TypeScript " +
        'emitted no type metadata for it: decorate the class (@Route(), @WebSocketRoute() or @Injectable()) and compile with ' +
        '"emitDecoratorMetadata": true (serv launch does this for you)',
    );
  });

  it("rejects @Param() naming a parameter the path lacks, listing the path's parameters", () => {
    expect(prepareError({ routes: [MisnamedParamRoute] }).message).toBe(
      `Cannot resolve parameter #0 of MisnamedParamRoute.get (${sourceOf(MisnamedParamRoute)}): ` +
        "@Param('itemId') but the path /items/{id:int} has no such parameter (it has: id)",
    );
  });

  it('rejects a constructor dependency typed as an interface', () => {
    expect(prepareError({ routes: [InterfaceConstructorRoute] }).message).toBe(
      `InterfaceConstructorRoute.get (${sourceOf(InterfaceConstructorRoute)}): Cannot inject parameter #0 of InterfaceConstructorRoute's ` +
        'constructor: its type is Object (an interface, a primitive or a type-only import compiles to that); inject a class, or pass a token with @Inject(TOKEN)',
    );
  });

  it('rejects a circular constructor dependency, printing the cycle', () => {
    expect(prepareError({ routes: [FarmRoute] }).message).toBe(
      `FarmRoute.get (${sourceOf(FarmRoute)}): Circular dependency: FarmRoute → Chicken → Egg → Chicken; ` +
        'break the cycle with an interface token and a factory',
    );
  });

  it('names a circular import, whose type is still undefined at decoration time', () => {
    expect(prepareError({ routes: [CycleImportRoute] }).message).toBe(
      `Cannot resolve parameter #0 of CycleImportRoute.get (${sourceOf(CycleImportRoute)}): Cannot inject parameter #0 of CycleB's constructor: ` +
        'its type was still undefined when CycleB was decorated, which happens when two modules import each other; ' +
        'break the import cycle, or pass a lazy token: @Inject(delay(() => TheClass)) with delay from tsyringe',
    );
  });

  it('serves a circular import broken with @Inject(delay(() => Class))', async () => {
    const client = createTestClient(createApp({ routes: [DelayedCycleRoute], logger: silent() }));
    try {
      expect((await client.get('/cycle')).json()).toEqual({ name: 'a' });
    } finally {
      await client.close();
    }
  });

  it('rejects a string token that nothing provides, in a handler and in a constructor', () => {
    expect(prepareError({ routes: [TokenRoute] }).message).toBe(
      `Cannot resolve parameter #0 of TokenRoute.get (${sourceOf(TokenRoute)}): nothing provides "GREETER"; ` +
        'add it to createApp({ providers: [{ provide: "GREETER", useValue: … }] })',
    );
    expect(prepareError({ routes: [TokenConstructorRoute] }).message).toBe(
      `TokenConstructorRoute.get (${sourceOf(TokenConstructorRoute)}): Cannot inject parameter #0 of TokenConstructorRoute's constructor: ` +
        'nothing provides "GREETER"; add it to createApp({ providers: [{ provide: "GREETER", useValue: … }] })',
    );
  });

  it('serves the same routes once the token is provided', async () => {
    const greeter: Greeter = { greet: (name) => `hello ${name}` };
    const client = createTestClient(
      createApp({ routes: [TokenRoute], providers: [{ provide: GREETER, useValue: greeter }], logger: silent() }),
    );
    const ctorClient = createTestClient(
      createApp({ routes: [TokenConstructorRoute], providers: [{ provide: GREETER, useValue: greeter }], logger: silent() }),
    );
    try {
      expect((await client.get('/greet/ada')).text()).toBe('hello ada');
      expect((await ctorClient.get('/greet')).text()).toBe('hello ctor');
    } finally {
      await client.close();
      await ctorClient.close();
    }
  });

  it('rejects a listener class with constructor parameters but no class decorator', () => {
    expect(prepareError({ listeners: [NoticeListener] }).message).toBe(
      "listener NoticeListener: NoticeListener's constructor takes 1 parameter(s) but TypeScript emitted no type metadata for it: " +
        'decorate the class (@Route(), @WebSocketRoute() or @Injectable()) and compile with "emitDecoratorMetadata": true (serv launch does this for you)',
    );
  });

  it('fails app.listen() before binding a port, with the same error', async () => {
    const app = createApp({ routes: [InterfaceParamRoute], logger: silent() });
    await expect(app.listen({ host: '127.0.0.1', port: 0 })).rejects.toThrow(
      `Cannot resolve parameter #0 of InterfaceParamRoute.get (${sourceOf(InterfaceParamRoute)}): its type is Object`,
    );
    expect(app.address).toBeUndefined();
  });

  it('reports the error again on a second prepare() instead of half-starting', () => {
    const app = createApp({ routes: [MisnamedParamRoute], logger: silent() });
    expect(() => app.prepare()).toThrow(InjectionError);
    expect(() => app.prepare()).toThrow("@Param('itemId') but the path /items/{id:int} has no such parameter (it has: id)");
  });
});
