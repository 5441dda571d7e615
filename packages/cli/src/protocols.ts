// The protocols the serv CLI installs before it reads any serv.config.yaml or extension.yaml, so that their settings
// and YAML route keys (the WebSocket limits, `websocket: true`, `frame_type`) are known: @serv/core never loads a
// protocol package by itself. An app built in code installs a protocol the same way, by importing its package.
// `serv launch` imports it in load-app.ts instead, after the TypeScript loader pinned the shared packages.
import '@serv/websocket';
