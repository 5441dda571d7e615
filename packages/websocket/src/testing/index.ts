export {
  connectTestWebSocket,
  TestWebSocket,
  WebSocketHandshakeError,
  type TestWebSocketClose,
  type TestWebSocketOptions,
} from './test-websocket';
