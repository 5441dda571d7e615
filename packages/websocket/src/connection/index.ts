export { CloseCode, closeCodeToHttpStatus, isSendableCloseCode } from './close-codes';
export { WebSocketConnectionError, WebSocketError, type WebSocketErrorCode } from './errors';
export { FrameType, WebSocketState } from './frame-type';
export { writeHandshakeRejection } from './handshake';
export {
  WebSocketHub,
  type WebSocketEndInfo,
  type WebSocketHandlerHooks,
  type WebSocketHubOptions,
  type WebSocketLog,
  type WebSocketRouteMatch,
  type WebSocketRunner,
} from './hub';
export {
  DEFAULT_WEBSOCKET_OPTIONS,
  resolveWebSocketOptions,
  type ResolvedWebSocketOptions,
  type WebSocketOptionsInput,
} from './options';
export { WebSocket, type WebSocketClient } from './websocket';
