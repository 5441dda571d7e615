import type { CommandAction } from '../args/command-spec';
import { createApp } from '../scaffold/create-app';
import { createExtension } from '../scaffold/create-extension';
import { createHandler } from '../scaffold/create-handler';

/** `serv create app|extension|route|websocket|listener|middleware`. */
export const createCommand: CommandAction = async (parsed) => {
  const kind = parsed.path[1];
  switch (kind) {
    case 'app':
      return createApp(parsed);
    case 'extension':
      return createExtension(parsed);
    case 'route':
    case 'websocket':
    case 'listener':
    case 'middleware':
      return createHandler(kind, parsed);
    default:
      throw new Error(`serv create has no "${String(kind)}" action`);
  }
};
