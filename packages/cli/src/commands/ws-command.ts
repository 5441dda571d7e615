import type { CommandAction } from '../args/command-spec';
import { readWsClientOptions } from '../ws-client/ws-client-options';
import { runWsSession } from '../ws-client/ws-session';

/** `serv ws URL`: a command-line WebSocket client, interactive or one-shot. */
export const wsCommand: CommandAction = async (parsed) => runWsSession(readWsClientOptions(parsed));
