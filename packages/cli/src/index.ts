export { main, EXIT_OK, EXIT_FAILURE, EXIT_USAGE } from './main';
export { registerTypeScript } from './loader/register-typescript';
export type { RegisterTypeScriptOptions, TypeScriptRegistration } from './loader/register-typescript';
export { defaultCacheDir } from './loader/compile-cache';
export { SHARED_PACKAGES } from './loader/shared-modules';
export { TypeScriptSyntaxError } from './loader/transpile';
export { CliError } from './cli-error';
