// Public surface of the config readers; packages/core/src/index.ts re-exports from here.
export { ConfigError, describeValue, displayPath } from './config-error';
export type { ConfigErrorCode, ConfigErrorDetails } from './config-error';
export { getConfigValue, parseConfigKey } from './config-file';
export type { ConfigKeySegment } from './config-file';
export { applyEnvOverrides, ENV_OVERRIDES, parseBoolText, parsePortText } from './env-overrides';
export { EXTENSION_SPEC_FILE, EXTENSION_SPEC_KEYS, parseExtensionSpec, readExtensionSpec } from './extension-spec';
export type { ExtensionSpec } from './extension-spec';
export type { ImportRef } from './import-ref';
export type { RouterSpec, RouteSpec } from './router-spec';
export type { RouteKeys, RouteKeySpec, SettingSpec } from './setting-spec';
export type { StaticSpec } from './static-spec';
export { parseServConfig, readRuntimeSettings, readServConfig, SERV_CONFIG_KEYS, SERV_CONFIG_MISSING_HINT } from './serv-config';
export { readTrustProxy, type LogFormatSetting } from './operations-settings';
export { DEFAULT_SEMI_SPACE_MB, MAX_SEMI_SPACE_MB } from './runtime-settings';
export type { RuntimeSettings } from './runtime-settings';
export { parseYaml, readConfigText } from './yaml-source';
export type { ExtensionEntry, ServConfig } from './serv-config';
export { checkServPath, normaliseMount, PATH_PARAM_TYPES } from './serv-path';
export { defaultSettings, SETTINGS_KEYS, settingsKeys } from './serv-settings';
export { nearestName } from './suggest';
export type { ServSettings, TlsSettings } from './serv-settings';
export {
  choicesText, expectBool, expectInt, expectKnownKeys, expectList, expectMapping, expectOneOf, expectString,
  expectStringList, fail, intRangeText, isUnset, itemAt, keyAt, optional, rootAt,
} from './validate';
export type { At } from './validate';
