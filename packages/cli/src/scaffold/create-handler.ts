import '../protocols';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseExtensionSpec, readExtensionSpec } from '@serv/core';
import type { Document } from 'yaml';
import type { ParsedCommand } from '../args/command-spec';
import { UsageError } from '../args/usage-error';
import { applyPlan } from './file-plan';
import { nameForms, normaliseRoutePath, type NameForms } from './names';
import { chooseExtensionDir } from './project';
import { ask, canPrompt } from './prompt';
import { listenerTemplate, middlewareTemplate, routeTemplate, websocketTemplate } from './templates';
import { addRoute, appendUnique, editableDocument, renderDocument } from './yaml-edit';

/** The handler kinds `serv create` scaffolds inside an extension. */
export type HandlerKind = 'route' | 'websocket' | 'listener' | 'middleware';

interface HandlerPlan {
  readonly module: string;
  readonly source: string;
  readonly register: (document: Document) => void;
}

/** Default router that `serv create route|websocket` adds to, as in Python Serv. */
export const DEFAULT_ROUTER = 'main_router';

/**
 * `serv create route|websocket|listener|middleware`: writes `<kind>_<snake>.ts` into the chosen extension and
 * registers it in that extension's extension.yaml (validated before anything is written).
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
  readExtensionSpec(dir);
  const specFile = join(dir, 'extension.yaml');
  const plan = await planFor(kind, name, parsed, prompt);
  const document = editableDocument(readFileSync(specFile, 'utf8'), specFile);
  plan.register(document);
  const specText = renderDocument(document);
  parseExtensionSpec(specText, specFile, dir);
  return applyPlan(
    [
      { path: join(dir, `${plan.module}.ts`), text: plan.source, mode: 'new' },
      { path: specFile, text: specText, mode: 'update' },
    ],
    { force: flags.force === true },
  );
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
  const router = (parsed.flags.router as string | undefined) ?? DEFAULT_ROUTER;
  const handler = `${module}:${name.pascal}`;
  const route: Record<string, string | boolean> = { path: routePath, handler };
  if (kind === 'websocket') route.websocket = true;
  const source = kind === 'websocket' ? websocketTemplate(name, routePath) : routeTemplate(name, routePath);
  return { module, source, register: (document) => addRoute(document, router, route) };
}
