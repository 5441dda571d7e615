import type { CommandSpec, FlagSpec } from '../args/command-spec';

const config: FlagSpec = { name: 'config', alias: 'c', type: 'string', valueName: 'PATH', description: 'Path to serv.config.yaml (default: ./serv.config.yaml)' };
const dev: FlagSpec = { name: 'dev', type: 'boolean', description: 'Debug logging, and stack traces on errors' };
const launchDev: FlagSpec = { ...dev, description: 'Debug logging, stack traces on errors, and a type check in the background' };
const force: FlagSpec = { name: 'force', type: 'boolean', description: 'Overwrite files that already exist' };
const nonInteractive: FlagSpec = { name: 'non-interactive', type: 'boolean', description: 'Never prompt; use flags and defaults' };
const extension: FlagSpec = { name: 'extension', alias: 'e', type: 'string', valueName: 'NAME', description: 'Extension folder to add to (default: the current extension, or the only one)' };
const name: FlagSpec = { name: 'name', alias: 'n', type: 'string', valueName: 'NAME', description: 'Name of the new item (asked on a terminal when missing)' };
const router: FlagSpec = { name: 'router', type: 'string', valueName: 'ROUTER', description: 'Router in extension.yaml to add the route to (implies --yaml; default: main_router)' };
const yaml: FlagSpec = { name: 'yaml', type: 'boolean', description: 'Also name the class in extension.yaml (the decorator alone registers it)' };

const createItem = (kind: string, summary: string, extra: readonly FlagSpec[], example: string): CommandSpec => ({
  name: kind,
  summary,
  flags: [name, ...extra, force, nonInteractive, config],
  examples: [example],
  load: async () => (await import('./create-command')).createCommand,
});

/** The whole `serv` command tree: names, flags, help text and lazily loaded actions. */
export const SERV_COMMAND_TREE: CommandSpec = {
  name: 'serv',
  summary: 'launch, inspect and scaffold Serv apps',
  examples: ['serv launch --port 8080 --dev', 'serv create websocket --name chat', 'serv ws ws://127.0.0.1:8000/ws --send hi --expect hi'],
  subcommands: [
    {
      name: 'launch',
      summary: 'load serv.config.yaml and its extensions, and serve the app (the default command)',
      flags: [
        { name: 'host', type: 'string', valueName: 'HOST', description: 'Address to bind (beats SERV_HOST and settings.host)' },
        { name: 'port', alias: 'p', type: 'int', valueName: 'PORT', description: 'Port to bind, 0 for any free port (beats SERV_PORT and settings.port)' },
        config,
        launchDev,
        { name: 'reload', type: 'boolean', description: 'Restart on changes to the config, the extensions or their sources, keeping the port' },
        { name: 'workers', alias: 'w', type: 'int', valueName: 'N', description: 'Serve from N processes sharing one port (node:cluster)' },
        { name: 'dry-run', type: 'boolean', description: 'Load everything, print the route table and exit' },
      ],
      examples: ['serv launch --port 8080 --dev --reload'],
      load: async () => (await import('./launch-command')).launchCommand,
    },
    {
      name: 'check',
      summary: 'type-check the project once (tsconfig.json, else the extension folder), like tsc --noEmit',
      positionals: [{ name: 'files', required: false, variadic: true, description: 'files to check instead of the project (e.g. app.ts)' }],
      flags: [config],
      examples: ['serv check', 'serv check app.ts'],
      load: async () => (await import('./check-command')).checkCommand,
    },
    {
      name: 'run',
      summary: 'run a TypeScript file (a code-only app calling createApp/listen), top-level await included',
      positionals: [
        { name: 'file', required: true, description: 'the .ts (or .js) file to run' },
        { name: 'args', required: false, passThrough: true, description: 'arguments for the file, in process.argv.slice(2)' },
      ],
      flags: [dev],
      examples: ['serv run app.ts', 'serv run --dev scripts/seed.ts --rows 10'],
      load: async () => (await import('./run-command')).runCommand,
    },
    {
      name: 'routes',
      summary: 'print the route table: method, path, handler and where it was declared',
      flags: [config, dev],
      examples: ['serv routes --config examples/websocket_chat/serv.config.yaml'],
      load: async () => (await import('./routes-command')).routesCommand,
    },
    {
      name: 'create',
      summary: 'scaffold an app, an extension or a handler, and register it in the YAML',
      examples: ['serv create app --non-interactive', 'serv create websocket --name chat --extension chat_room'],
      subcommands: [
        createItem(
          'app',
          'write serv.config.yaml and an extensions/ folder here (or, with --standalone DIR, a whole project)',
          [{ name: 'standalone', type: 'string', valueName: 'DIR', description: 'Write a project of its own in DIR: package.json, tsconfig.json, a starter extension and a test; installs nothing' }],
          'serv create app --standalone my-app',
        ),
        createItem('extension', 'write extensions/<name>/extension.yaml and main.ts, and enable it', [], 'serv create extension --name "Chat Room"'),
        createItem('route', 'write route_<name>.ts (a decorated HTTP GET route) and export it from main.ts', [{ name: 'path', type: 'string', valueName: 'PATH', description: 'URL path (default: /<name>)' }, yaml, router, extension], 'serv create route --name hello --path /hello'),
        createItem('websocket', 'write websocket_<name>.ts (a decorated echo handler) and export it from main.ts', [{ name: 'path', type: 'string', valueName: 'PATH', description: 'URL path (default: /ws/<name>)' }, yaml, router, extension], 'serv create websocket --name chat --path /ws'),
        createItem('listener', 'write listener_<name>.ts (an app.startup listener) and add it to listeners', [extension], 'serv create listener --name audit'),
        createItem('middleware', 'write middleware_<name>.ts and add it to middleware', [extension], 'serv create middleware --name timing'),
      ],
    },
    {
      name: 'config',
      summary: 'show, validate, read or change serv.config.yaml',
      examples: ['serv config get settings.port', 'serv config set settings.port 9000 --type int'],
      subcommands: [
        {
          name: 'show',
          summary: 'print the configuration file',
          flags: [{ name: 'format', type: 'string', valueName: 'FORMAT', choices: ['yaml', 'json'], description: 'Output format (default: yaml)' }, config],
          examples: ['serv config show --format json'],
          load: async () => (await import('./config-command')).configCommand,
        },
        {
          name: 'validate',
          summary: 'check serv.config.yaml against the settings schema',
          flags: [config],
          examples: ['serv config validate'],
          load: async () => (await import('./config-command')).configCommand,
        },
        {
          name: 'get',
          summary: 'print one value by dotted key',
          positionals: [{ name: 'key', required: true, description: 'dotted key, e.g. settings.port' }],
          flags: [config],
          examples: ['serv config get settings.port'],
          load: async () => (await import('./config-command')).configCommand,
        },
        {
          name: 'set',
          summary: 'change one value by dotted key, keeping comments',
          positionals: [
            { name: 'key', required: true, description: 'dotted key, e.g. settings.port' },
            { name: 'value', required: true, description: 'the new value' },
          ],
          flags: [{ name: 'type', alias: 't', type: 'string', valueName: 'TYPE', choices: ['string', 'int', 'float', 'bool', 'list'], description: 'How to read VALUE (default: string; list = comma separated)' }, config],
          examples: ['serv config set settings.debug true --type bool'],
          load: async () => (await import('./config-command')).configCommand,
        },
      ],
    },
    {
      name: 'extension',
      summary: 'list, enable, disable and validate extensions',
      examples: ['serv extension list --available', 'serv extension enable chat_room'],
      subcommands: [
        {
          name: 'list',
          summary: 'list enabled extensions (and with --available, the ones in extension_dir)',
          flags: [{ name: 'available', type: 'boolean', description: 'Also list extensions found in extension_dir' }, config],
          examples: ['serv extension list --available'],
          load: async () => (await import('./extension-command')).extensionCommand,
        },
        {
          name: 'enable',
          summary: 'add an extension to serv.config.yaml',
          positionals: [{ name: 'id', required: true, description: 'extension folder name in extension_dir' }],
          flags: [config],
          examples: ['serv extension enable chat_room'],
          load: async () => (await import('./extension-command')).extensionCommand,
        },
        {
          name: 'disable',
          summary: 'remove an extension from serv.config.yaml',
          positionals: [{ name: 'id', required: true, description: 'extension folder name' }],
          flags: [config],
          examples: ['serv extension disable chat_room'],
          load: async () => (await import('./extension-command')).extensionCommand,
        },
        {
          name: 'validate',
          summary: 'check extension.yaml files against the extension schema',
          positionals: [{ name: 'id', required: false, description: 'extension folder name (default: every enabled extension)' }],
          flags: [{ name: 'all', type: 'boolean', description: 'Validate every extension in extension_dir, enabled or not' }, config],
          examples: ['serv extension validate --all'],
          load: async () => (await import('./extension-command')).extensionCommand,
        },
      ],
    },
    {
      name: 'ws',
      summary: 'a WebSocket client for debugging: interactive, or one-shot with --send/--expect',
      positionals: [{ name: 'url', required: true, description: 'ws:// or wss:// URL' }],
      flags: [
        { name: 'send', alias: 's', type: 'string', valueName: 'MSG', repeatable: true, description: 'Send MSG, wait for one reply per message (or for --expect) and exit, instead of reading stdin' },
        { name: 'expect', type: 'string', valueName: 'TEXT', description: 'Succeed only when a reply contains TEXT' },
        { name: 'timeout', type: 'int', valueName: 'MS', description: 'How long to wait for the handshake, and then for the replies (default: 5000)' },
        { name: 'header', alias: 'H', type: 'string', valueName: 'K:V', repeatable: true, description: 'Extra handshake header' },
        { name: 'subprotocol', type: 'string', valueName: 'NAME', repeatable: true, description: 'Offer a subprotocol' },
        { name: 'binary', type: 'boolean', description: 'Send messages as binary frames' },
        { name: 'verbose', alias: 'v', type: 'boolean', description: 'Print the handshake, every frame, the close code and timings to stderr' },
      ],
      examples: ['serv ws ws://127.0.0.1:8000/ws --send hi --expect "Echo: hi" --timeout 2000'],
      load: async () => (await import('./ws-command')).wsCommand,
    },
  ],
};
