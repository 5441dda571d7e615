import type { At } from './validate';

/**
 * One key of the `settings:` block: its YAML name, its camelCase field, its default and how to validate it. The core
 * has a table of these for its own keys; a protocol package brings a table for its keys (`Protocol.settings`).
 */
export interface SettingSpec {
  /** The snake_case key in serv.config.yaml, e.g. `max_body_bytes`. */
  readonly key: string;
  /** The camelCase field of `ServSettings`, e.g. `maxBodyBytes`. */
  readonly field: string;
  /** The value when the key is not written (arrays are copied per app). */
  readonly defaultValue: unknown;
  /** Validates the written value at `at` (file + key path in errors); relative paths resolve against `dir`. */
  read(value: unknown, at: At, dir: string): unknown;
  /** Makes the default hold for the config file's folder `dir` (a relative path in it resolved against `dir`). */
  resolveDefault?(value: unknown, dir: string): unknown;
}

/** One protocol-only key of a YAML route (e.g. `frame_type`), read into the route's options under `option`. */
export interface RouteKeySpec {
  /** The snake_case key in extension.yaml. */
  readonly key: string;
  /** The camelCase option it sets, the same name the protocol's decorator takes. */
  readonly option: string;
  /** Validates the written value at `at`. */
  read(value: unknown, at: At): unknown;
}

/** The YAML route keys of a protocol: the flag that makes a route its own, and the keys such a route may carry. */
export interface RouteKeys {
  /** A boolean route key, e.g. `websocket` for `websocket: true`. */
  readonly flag: string;
  /** The other keys allowed on (and only on) such a route, in documentation order. */
  readonly keys: readonly RouteKeySpec[];
}
