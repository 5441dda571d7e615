import '../protocols';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseExtensionSpec, readExtensionSpec } from '@serv/core';
import type { Document } from 'yaml';
import type { ParsedCommand } from '../args/command-spec';
import { UsageError } from '../args/usage-error';
import { CliError } from '../cli-error';
import { applyPlan, type PlannedFile } from './file-plan';
import { nameForms, normaliseRoutePath, type NameForms } from './names';
import { chooseExtensionDir } from './project';
import { ask, canPrompt } from './prompt';
import { handlerClassName, listenerTemplate, middlewareTemplate, routeTemplate, websocketTemplate } from './templates';
import { addRoute, appendUnique, editableDocument, renderDocument } from './yaml-edit';

/** The handler kinds `serv create` scaffolds inside an extension. */
export type HandlerKind = 'route' | 'websocket' | 'listener' | 'middleware';

interface HandlerPlan {
  readonly module: string;
  readonly source: string;
  /** Registers the handler in extension.yaml; absent when the decorator registers it (exported from main.ts). */
  readonly register?: (document: Document) => void;
}

/** Default router that `serv create route|websocket` adds to, as in Python Serv. */
export const DEFAULT_ROUTER = 'main_router';

/**
 * `serv create route|websocket|listener|middleware`: writes `<kind>_<snake>.ts` into the chosen extension. A route or
 * WebSocket handler is a decorated class that main.ts re-exports, so it registers itself; with --yaml (or --router)
 * it is added to a router in extension.yaml instead. Listeners and middleware are listed in extension.yaml.
 * Every edit of extension.yaml is validated before anything is written.
 */
export async function createHandler(kind: HandlerKind, parsed: ParsedCommand): Promise<number> {
  const { flags } = parsed;
  const where = `serv create ${kind}`;
  const prompt = canPrompt(flags);
  let rawName = flags.name as string | undefined;
  if (rawName === undefined && prompt) rawName = await ask(`${kind[0]!.toUpperCase()}${kind.slice(1)} name`, '');
  if (rawName === undefined || rawName.trim() === '') {
    throw new UsageError(`"${where}" needs --name NAME (or run it in a terminal to be asked).`, where);
  }
  const name = nameForms(rawName, where);
  const dir = await chooseExtensionDir(flags, where);
  const spec = readExtensionSpec(dir);
  const plan = await planFor(kind, name, parsed, prompt);
  const handlerFile: PlannedFile = { path: join(dir, `${plan.module}.ts`), text: plan.source, mode: 'new' };
  if (plan.register === undefined) return applyPlan([handlerFile, reexportFromMain(dir, plan.module, spec.discover)], { force: flags.force === true });
  const specFile = join(dir, 'extension.yaml');
  const document = editableDocument(readFileSync(specFile, 'utf8'), specFile);
  plan.register(document);
  const specText = renderDocument(document);
  parseExtensionSpec(specText, specFile, dir);
  return applyPlan([handlerFile, { path: specFile, text: specText, mode: 'update' }], { force: flags.force === true });
}

// main.ts gains `export * from './route_hello';`, which is what lets discovery find the decorated class.
function reexportFromMain(dir: string, module: string, discover: boolean): PlannedFile {
  if (!discover) {
    throw new CliError('SERV_CLI_DISCOVER_OFF', `${join(dir, 'extension.yaml')} has "discover: false", so a decorated class in main.ts would not register; pass --yaml to add the route to extension.yaml`);
  }
  const mainFile = join(dir, 'main.ts');
  const line = `export * from './${module}';\n`;
  const current = existsSync(mainFile) ? readFileSync(mainFile, 'utf8') : '';
  if (current.includes(line)) return { path: mainFile, text: current, mode: 'update' };
  const separator = current === '' || current.endsWith('\n') ? '' : '\n';
  return { path: mainFile, text: `${current}${separator}${line}`, mode: existsSync(mainFile) ? 'update' : 'if-missing' };
}

async function planFor(kind: HandlerKind, name: NameForms, parsed: ParsedCommand, prompt: boolean): Promise<HandlerPlan> {
  const module = `${kind}_${name.snake}`;
  if (kind === 'listener') {
    const ref = `${module}:${name.pascal}`;
    return { module, source: listenerTemplate(name), register: (document) => void appendUnique(document, 'listeners', ref) };
  }
  if (kind === 'middleware') {
    const ref = `${module}:${name.camel}Middleware`;
    return { module, source: middlewareTemplate(name), register: (document) => void appendUnique(document, 'middleware', ref) };
  }
  const fallback = kind === 'websocket' ? `/ws/${name.snake}` : `/${name.snake}`;
  let path = parsed.flags.path as string | undefined;
  if (path === undefined && prompt) path = await ask('URL path', fallback);
  const routePath = normaliseRoutePath(path ?? fallback);
  const routerFlag = parsed.flags.router as string | undefined;
  const source = kind === 'websocket' ? websocketTemplate(name, routePath) : routeTemplate(name, routePath);
  if (parsed.flags.yaml !== true && routerFlag === undefined) return { module, source };
  // The decorator already says the path and the kind: the YAML route only names the class.
  const route = { handler: `${module}:${handlerClassName(kind, name)}` };
  return { module, source, register: (document) => addRoute(document, routerFlag ?? DEFAULT_ROUTER, route) };
}
