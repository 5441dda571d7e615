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

/** A tsconfig.json for editors: the options `serv launch` compiles with (decorator metadata on). */
export const APP_TSCONFIG_TEMPLATE = `{
  "compilerOptions": {
    "target": "ES2022",
    "module": "commonjs",
    "strict": true,
    "experimentalDecorators": true,
    "emitDecoratorMetadata": true,
    "esModuleInterop": true,
    "skipLibCheck": true,
    "noEmit": true
  },
  "include": ["extensions/**/*.ts"]
}
`;

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
 * Add handlers with:
 *   serv create route --name hello --extension ${name.snake}
 *   serv create websocket --name chat --extension ${name.snake}
 * and reference them from extension.yaml as "module:Export".
 */
export const EXTENSION_NAME = ${JSON.stringify(name.display)};
`;
}

/** `route_<snake>.ts`: an HTTP route class answering GET with text. */
export function routeTemplate(name: NameForms, path: string): string {
  return `import { Get, Route } from '@serv/core';

/** Answers GET ${path} (registered in extension.yaml). */
@Route()
export class ${name.pascal} {
  @Get()
  get(): string {
    return 'Hello from ${name.display}';
  }
}
`;
}

/** `websocket_<snake>.ts`: an echo handler registered from YAML with \`websocket: true\`. */
export function websocketTemplate(name: NameForms, path: string): string {
  return `import { Inject, Injectable } from '@serv/core';
import { WebSocket } from '@serv/websocket';

/** Echoes every message on ${path} (registered in extension.yaml with websocket: true). */
@Injectable() // lets the constructor take services, e.g. constructor(private readonly log: Logger)
export class ${name.pascal} {
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
