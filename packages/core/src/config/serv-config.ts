import * as path from 'node:path';
import { applyEnvOverrides, applyRuntimeEnv } from './env-overrides';
import { readRuntimeBlockOf, type RuntimeSettings } from './runtime-settings';
import { readSettings, type ServSettings } from './serv-settings';
import {
  expectKnownKeys, expectList, expectMapping, expectString, fail, isUnset, itemAt, keyAt, optional, rootAt, type At,
} from './validate';
import { parseYaml, readConfigText } from './yaml-source';

/** One entry of `extensions:`: the extension's folder name and the app's overrides of its settings. */
export interface ExtensionEntry {
  /** Folder name under `settings.extension_dir`. */
  name: string;
  /** App-level settings for the extension; they override the extension's own `settings`. */
  settings: Record<string, unknown>;
}

/** A validated `serv.config.yaml`. */
export interface ServConfig {
  /** Absolute path of the file. */
  file: string;
  /** Absolute folder of the file; relative paths in it resolve against this. */
  dir: string;
  /** Informational site name and description. */
  siteInfo: { name?: string; description?: string };
  /** Extensions to load, in order. */
  extensions: ExtensionEntry[];
  /** Settings from the file over the defaults, with SERV_* environment overrides applied. */
  settings: ServSettings;
  /** The parsed document as written (no defaults, no env), for `serv config get`. */
  raw: Record<string, unknown>;
}

/** Keys allowed at the top of serv.config.yaml. */
export const SERV_CONFIG_KEYS: readonly string[] = ['site_info', 'extensions', 'settings'];

/** What to tell someone whose serv.config.yaml is missing. */
export const SERV_CONFIG_MISSING_HINT = 'create it with "serv create app", or pass --config with the right path';

/** Reads, parses and validates a serv.config.yaml; a missing file is a SERV_CONFIG_NOT_FOUND error. */
export function readServConfig(filePath: string, env: NodeJS.ProcessEnv = process.env): ServConfig {
  return parseServConfig(readConfigText(filePath, SERV_CONFIG_MISSING_HINT), filePath, env);
}

/**
 * Reads only `settings.runtime` of a serv.config.yaml, with SERV_SEMI_SPACE_MB applied: what a launcher needs to start
 * the serving process with the right V8 options before it loads anything else. Errors match readServConfig's.
 */
export function readRuntimeSettings(filePath: string, env: NodeJS.ProcessEnv = process.env): RuntimeSettings {
  const document = parseYaml(readConfigText(filePath, SERV_CONFIG_MISSING_HINT), filePath);
  return applyRuntimeEnv(readRuntimeBlockOf(document, filePath), env);
}

/** Parses and validates serv.config.yaml text; `file` names it in errors and anchors relative paths. */
export function parseServConfig(text: string, file: string, env: NodeJS.ProcessEnv = process.env): ServConfig {
  const absolute = path.resolve(file);
  const dir = path.dirname(absolute);
  const root = rootAt(file);
  const value = parseYaml(text, file);
  const raw = isUnset(value) ? {} : expectMapping(value, root);
  expectKnownKeys(raw, root, SERV_CONFIG_KEYS);
  return {
    file: absolute,
    dir,
    siteInfo: readSiteInfo(raw.site_info, keyAt(root, 'site_info')),
    extensions: readExtensions(raw.extensions, keyAt(root, 'extensions')),
    settings: applyEnvOverrides(readSettings(raw.settings, keyAt(root, 'settings'), dir), env),
    raw,
  };
}

function readSiteInfo(value: unknown, at: At): ServConfig['siteInfo'] {
  if (isUnset(value)) return {};
  const block = expectMapping(value, at);
  expectKnownKeys(block, at, ['name', 'description']);
  const info: ServConfig['siteInfo'] = {};
  const name = optional(block.name, keyAt(at, 'name'), (v, a) => expectString(v, a, { allowEmpty: true }));
  const description = optional(block.description, keyAt(at, 'description'), (v, a) => expectString(v, a, { allowEmpty: true }));
  if (name !== undefined) info.name = name;
  if (description !== undefined) info.description = description;
  return info;
}

function readExtensions(value: unknown, at: At): ExtensionEntry[] {
  if (isUnset(value)) return [];
  const firstIndex = new Map<string, number>();
  return expectList(value, at).map((item, index) => {
    const entry = readExtensionEntry(item, itemAt(at, index));
    const earlier = firstIndex.get(entry.name);
    // Loading one extension twice would register every route twice; say which entry already has it.
    if (earlier !== undefined) fail(itemAt(at, index), `name an extension not listed before (see ${itemAt(at, earlier).keyPath})`, entry.name);
    firstIndex.set(entry.name, index);
    return entry;
  });
}

function readExtensionEntry(item: unknown, at: At): ExtensionEntry {
  if (typeof item === 'string') return { name: expectString(item, at), settings: {} };
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    fail(at, 'be an extension folder name or a mapping like { extension: name, settings: {...} }', item);
  }
  const block = item as Record<string, unknown>;
  expectKnownKeys(block, at, ['extension', 'settings']);
  return {
    name: expectString(block.extension, keyAt(at, 'extension')),
    settings: optional(block.settings, keyAt(at, 'settings'), expectMapping) ?? {},
  };
}
