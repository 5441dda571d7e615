import { registerProtocol } from '@serv/core';
import { websocketProtocol } from './integration/websocket-protocol';
import './settings/settings-fields';

export { WebSocket, type WebSocketClient } from './connection/websocket';
export { FrameType, WebSocketState } from './connection/frame-type';
export { WebSocketError, WebSocketConnectionError, type WebSocketErrorCode } from './connection/errors';
export { CloseCode, closeCodeToHttpStatus } from './connection/close-codes';
export {
  WebSocketHub,
  type WebSocketEndInfo,
  type WebSocketHandlerHooks,
  type WebSocketHubOptions,
  type WebSocketLog,
  type WebSocketOrigin,
  type WebSocketRouteMatch,
  type WebSocketRunner,
} from './connection/hub';
export {
  DEFAULT_WEBSOCKET_OPTIONS,
  resolveWebSocketOptions,
  type ResolvedWebSocketOptions,
  type WebSocketOptionsInput,
} from './connection/options';
export { Rooms, type BroadcastOptions, type HistoryMessage, type HistoryOptions, type JoinOptions, type JoinResult } from './rooms/rooms';
export { RoomsError, type RoomsErrorCode } from './rooms/rooms-error';
export type { BrokerSettings } from './rooms/broker-settings';
export type { StoreSettings } from './stores/store-settings';
export type { AppendRequest, AppendResult, MessageStore, Retention, StoredMessage, StreamPosition } from './stores/message-store';
export { MAX_ROOM_NAME_LENGTH } from './rooms/room-name';
export type { Broker, BrokerSink, PublishAck, RoomMember } from './brokers/broker';
export { ClusterRelay, type RelayWorker } from './brokers/cluster-relay';
export { ROOMS_RELAY_ENV } from './brokers/cluster-protocol';
export { WebSocketRoute, type WebSocketRouteOptions } from './integration/websocket-route';
export { ConnectionContext } from './integration/connection-context';
export { websocketProtocol } from './integration/websocket-protocol';
export {
  connectTestWebSocket,
  TestWebSocket,
  WebSocketHandshakeError,
  type TestWebSocketClose,
  type TestWebSocketOptions,
} from './testing';

// Importing @serv/websocket installs the protocol: from here on every app serves WebSocket routes and upgrades,
// and serv.config.yaml / extension.yaml accept the WebSocket keys.
registerProtocol(websocketProtocol);
