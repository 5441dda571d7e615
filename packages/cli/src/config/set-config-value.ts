import '../protocols';
import * as fs from 'node:fs';
import {
  ConfigError, describeValue, isUnset, parseConfigKey, parseServConfig, parseYaml, readConfigText, SERV_CONFIG_MISSING_HINT,
  type ConfigKeySegment, type ServConfig,
} from '@serv/core';
import { isNode, isScalar, parseDocument, type Document } from 'yaml';

/**
 * Sets `dotKey` to `value` in the serv.config.yaml at `filePath`, keeping comments and layout (the yaml library
 * re-spaces inline comments to one space and may re-indent); the edited text is
 * validated with parseServConfig first (environment ignored) and, if invalid, the error is thrown and the file left
 * untouched. Returns the validated config (without environment overrides).
 */
export function setConfigValue(filePath: string, dotKey: string, value: unknown): ServConfig {
  const segments = parseConfigKey(dotKey);
  const text = readConfigText(filePath, SERV_CONFIG_MISSING_HINT);
  // @serv/core's parser decides what the file means (and reports broken YAML); the yaml Document only edits it.
  const raw = parseYaml(text, filePath);
  const document = parseDocument(text, { merge: true });
  const { path, rest } = placeValue(raw, segments, filePath);
  const existing = path.length === 0 ? document.contents : document.getIn(path, true);
  if (rest.length === 0 && isScalar(existing) && !isCollectionValue(value)) {
    // Change the scalar in place so its comments stay; drop its quoting style only if the kind of value changes.
    if (typeof existing.value !== typeof value) existing.type = undefined;
    existing.value = value;
  } else {
    // Anything below the first missing (or empty `key:`) step is built as nested mappings in one go.
    const node = document.createNode(rest.reduceRight<unknown>((inner, segment) => ({ [String(segment)]: inner }), value));
    if (isNode(existing)) node.commentBefore = [existing.commentBefore, existing.comment].filter(Boolean).join('\n') || undefined;
    if (path.length === 0) (document as Document).contents = node;
    else document.setIn(path, node);
  }
  const edited = document.toString({ lineWidth: 0 });
  const config = parseServConfig(edited, filePath, {});
  writeKeepingMode(filePath, edited);
  return config;
}

// Walks the existing document: returns the path that exists as collections and the segments still to create.
function placeValue(raw: unknown, segments: ConfigKeySegment[], file: string): { path: ConfigKeySegment[]; rest: ConfigKeySegment[] } {
  let current = raw;
  for (let i = 0; i < segments.length; i++) {
    if (isUnset(current)) return { path: segments.slice(0, i), rest: segments.slice(i) };
    const segment = segments[i];
    const where = i === 0 ? 'the top level' : keyText(segments.slice(0, i));
    if (Array.isArray(current)) {
      const index = typeof segment === 'number' ? segment : /^\d+$/.test(segment) ? Number(segment) : Number.NaN;
      if (!Number.isInteger(index) || index > current.length) {
        const problem = `cannot be set: ${where} is a list of ${current.length} item(s), so use an index from 0 to ${current.length}`;
        throw ConfigError.misplaced(file, keyText(segments.slice(0, i + 1)), problem);
      }
      segments[i] = index;
      current = current[index];
    } else if (typeof current === 'object') {
      current = (current as Record<string, unknown>)[String(segment)];
      segments[i] = String(segment);
    } else {
      const problem = `cannot be set: ${where} is ${describeValue(current)}, not a mapping or list`;
      throw ConfigError.misplaced(file, keyText(segments.slice(0, i + 1)), problem);
    }
  }
  return { path: segments, rest: [] };
}

function isCollectionValue(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}

function keyText(segments: ConfigKeySegment[]): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

// Write beside the file and rename over it, so a crash never leaves half a config; keep the original permissions.
function writeKeepingMode(filePath: string, text: string): void {
  const mode = fs.statSync(filePath).mode;
  const temporary = `${filePath}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text, { mode });
  fs.renameSync(temporary, filePath);
}

