/**
 * Preload entry: `node -r @serv/cli/register app.ts` runs TypeScript with decorator metadata,
 * the same way `serv launch` loads handler modules.
 */
import { registerTypeScript } from './loader/register-typescript';

registerTypeScript();
