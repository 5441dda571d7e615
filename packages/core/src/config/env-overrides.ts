import { LOG_FORMAT_SETTING, LOG_LEVEL_SETTING } from './operations-settings';
import { parseSemiSpaceText, type RuntimeSettings } from './runtime-settings';
import type { ServSettings } from './serv-settings';
import { choicesText, fail, intRangeText, rootAt } from './validate';

/** The environment variables that override `settings` from the file (and are overridden by CLI flags). */
export const ENV_OVERRIDES = ['SERV_HOST', 'SERV_PORT', 'SERV_DEBUG', 'SERV_LOG_LEVEL', 'SERV_LOG_FORMAT', 'SERV_SEMI_SPACE_MB'] as const;

const TRUE_WORDS = ['true', '1', 'yes', 'on'];
const FALSE_WORDS = ['false', '0', 'no', 'off'];

/**
 * Returns `settings` with SERV_HOST, SERV_PORT, SERV_DEBUG, SERV_LOG_LEVEL, SERV_LOG_FORMAT and SERV_SEMI_SPACE_MB applied; unset or blank variables are skipped, and a
 * bad value throws a ConfigError naming the variable (it has no file, so the message starts with the name).
 */
export function applyEnvOverrides(settings: ServSettings, env: NodeJS.ProcessEnv): ServSettings {
  const result = { ...settings };
  const host = present(env.SERV_HOST);
  if (host !== undefined) result.host = host;
  const port = present(env.SERV_PORT);
  if (port !== undefined) result.port = parsePortText(port, 'SERV_PORT');
  const debug = present(env.SERV_DEBUG);
  if (debug !== undefined) result.debug = parseBoolText(debug, 'SERV_DEBUG');
  // The log settings take the YAML's words, checked by the same rules (an operator silences request lines, or asks
  // for JSON on a terminal, without editing the file).
  const level = present(env.SERV_LOG_LEVEL);
  if (level !== undefined) result.logLevel = LOG_LEVEL_SETTING.read(level, rootAt(undefined, 'SERV_LOG_LEVEL'), '') as ServSettings['logLevel'];
  const format = present(env.SERV_LOG_FORMAT);
  if (format !== undefined) result.logFormat = LOG_FORMAT_SETTING.read(format, rootAt(undefined, 'SERV_LOG_FORMAT'), '') as ServSettings['logFormat'];
  result.runtime = applyRuntimeEnv(result.runtime, env);
  return result;
}

/** Returns `runtime` with SERV_SEMI_SPACE_MB applied (digits or `default`); unset or blank is skipped. */
export function applyRuntimeEnv(runtime: RuntimeSettings, env: NodeJS.ProcessEnv): RuntimeSettings {
  const semiSpace = present(env.SERV_SEMI_SPACE_MB);
  return semiSpace === undefined ? runtime : { ...runtime, semiSpaceMb: parseSemiSpaceText(semiSpace, 'SERV_SEMI_SPACE_MB') };
}

/** Parses a port given as text (env var or CLI flag named `name`): digits only, 0 to 65535. */
export function parsePortText(text: string, name: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > 65535) fail(rootAt(undefined, name), `be ${intRangeText(0, 65535)}`, text);
  return value;
}

/** Parses a boolean given as text (env var or CLI flag named `name`): true/false/1/0/yes/no/on/off, any case. */
export function parseBoolText(text: string, name: string): boolean {
  const word = text.toLowerCase();
  if (TRUE_WORDS.includes(word)) return true;
  if (FALSE_WORDS.includes(word)) return false;
  return fail(rootAt(undefined, name), `be ${choicesText([...TRUE_WORDS, ...FALSE_WORDS])}`, text);
}

// An exported-but-empty variable (`SERV_PORT= serv launch`) is how shells unset things; treat it as absent.
function present(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
