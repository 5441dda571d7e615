import type { CommandAction } from '../args/command-spec';
import { readLaunchOptions } from '../launch/launch-options';
import { printRoutes } from '../launch/serve';

/** `serv routes`: loads the project and prints its route table, like `serv launch --dry-run`. */
export const routesCommand: CommandAction = async (parsed) => printRoutes(readLaunchOptions(parsed));
