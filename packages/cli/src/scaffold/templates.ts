import type { NameForms } from './names';

/** The `serv.config.yaml` that `serv create app` writes. */
export function appConfigTemplate(site: { name: string; description: string }): string {
  return `# Serv application configuration. Edit by hand or with "serv config set KEY VALUE".
site_info:
  name: ${JSON.stringify(site.name)}
  description: ${JSON.stringify(site.description)}

# Extension folders under settings.extension_dir to load, in order ("serv extension enable NAME").
extensions: []

settings:
  host: "127.0.0.1"
  port: 8000
  debug: false
  extension_dir: "./extensions"
`;
}

/**
 * A tsconfig.json with the options `serv launch` compiles with (decorator metadata on), over `include`; `types`
 * pins the ambient type packages (a standalone project lists `node`).
 */
export function tsconfigTemplate(include: readonly string[], types?: readonly string[]): string {
  const typesLine = types === undefined ? '' : `    "types": ${JSON.stringify(types).replace(/,/g, ', ')},\n`;
  return `{
  "compilerOptions": {
    "target": "ES2022",
    "module": "commonjs",
    "strict": true,
    "experimentalDecorators": true,
    "emitDecoratorMetadata": true,
    "esModuleInterop": true,
    "skipLibCheck": true,
${typesLine}    "noEmit": true
  },
  "include": ${JSON.stringify(include).replace(/,/g, ', ')}
}
`;
}

/** A tsconfig.json for editors of an app made by `serv create app`. */
export const APP_TSCONFIG_TEMPLATE = tsconfigTemplate(['extensions/**/*.ts']);

/** `extension.yaml` of a new extension. */
export function extensionYamlTemplate(name: NameForms, meta: { description: string; author: string }): string {
  return `# Extension manifest: routers, listeners and middleware are added by "serv create route|websocket|listener|middleware".
name: ${JSON.stringify(name.display)}
description: ${JSON.stringify(meta.description)}
version: "1.0.0"
author: ${JSON.stringify(meta.author)}
`;
}

/** `main.ts` of a new extension: a documented starting point that loads cleanly. */
export function extensionMainTemplate(name: NameForms): string {
  return `/**
 * ${name.display}: shared code for this extension's handlers.
 *
 * Every @Route / @WebSocketRoute class this module exports registers itself at its decorator path.
 * Add handlers with:
 *   serv create route --name hello --extension ${name.snake}
 *   serv create websocket --name chat --extension ${name.snake}
 * which write route_hello.ts / websocket_chat.ts and re-export them below.
 */
export const EXTENSION_NAME = ${JSON.stringify(name.display)};
`;
}

/**
 * The class a `serv create route|websocket` writes: `HelloRoute` / `HelloHandler`, so that two kinds made with one
 * name can both be re-exported from main.ts (`export *` drops a name two modules export).
 */
export function handlerClassName(kind: 'route' | 'websocket', name: NameForms): string {
  const suffix = kind === 'route' ? 'Route' : 'Handler';
  return name.pascal.endsWith(suffix) ? name.pascal : `${name.pascal}${suffix}`;
}

/** `route_<snake>.ts`: an HTTP route class answering GET with text. */
export function routeTemplate(name: NameForms, path: string): string {
  return `import { Get, Route } from '@serv/core';

/** Answers GET ${path}; the decorator registers it (main.ts re-exports this module). */
@Route('${path}')
export class ${handlerClassName('route', name)} {
  @Get()
  get(): string {
    return 'Hello from ${name.display}';
  }
}
`;
}

/** `websocket_<snake>.ts`: an echo handler decorated with its path. */
export function websocketTemplate(name: NameForms, path: string): string {
  return `import { Inject } from '@serv/core';
import { WebSocket, WebSocketRoute } from '@serv/websocket';

/** Echoes every message on ${path}; the decorator registers it (main.ts re-exports this module). */
@WebSocketRoute('${path}') // the constructor can take services, e.g. constructor(private readonly log: Logger)
export class ${handlerClassName('websocket', name)} {
  async handle(@Inject() ws: WebSocket): Promise<void> {
    await ws.accept();
    for await (const message of ws) {
      await ws.send(\`Echo: \${String(message)}\`);
    }
  }
}
`;
}

/** `listener_<snake>.ts`: a listener class reacting to app.startup. */
export function listenerTemplate(name: NameForms): string {
  return `import { Injectable, On } from '@serv/core';

/** Runs when the app starts (registered under listeners: in extension.yaml). */
@Injectable() // lets the constructor take services, e.g. constructor(private readonly log: Logger)
export class ${name.pascal} {
  @On('app.startup')
  async onStartup(): Promise<void> {
    // Open connections, warm caches or schedule jobs here.
  }
}
`;
}

/** `middleware_<snake>.ts`: Koa-style HTTP middleware. */
export function middlewareTemplate(name: NameForms): string {
  return `import type { RequestContext } from '@serv/core';

/** Runs around every HTTP request of this extension's app (registered under middleware: in extension.yaml). */
export async function ${name.camel}Middleware(ctx: RequestContext, next: () => Promise<void>): Promise<void> {
  // Code here runs before the handler…
  await next();
  // …and code here after it.
}
`;
}
