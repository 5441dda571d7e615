import { createApp, createTestClient, type TestClient } from '@serv/core';
import { WebSocketHandshakeError } from '@serv/websocket';
import { RoomHandler } from './room-handler';

describe('RoomHandler', () => {
  let client: TestClient;

  beforeEach(() => {
    const app = createApp({ routes: [RoomHandler], settings: { origins: ['https://chat.example'] } });
    client = createTestClient(app); // listens on 127.0.0.1, port 0, on first use
  });

  afterEach(() => client.close()); // closes the app and every socket still open

  it('welcomes, echoes with the room name and closes 1000 on "bye"', async () => {
    const ws = await client.websocket('/ws/room-1?token=let-me-in', {
      headers: { origin: 'https://chat.example' },
      subprotocols: ['chat.v1'],
    });
    expect(ws.subprotocol).toBe('chat.v1');
    expect(await ws.receiveJson()).toEqual({ type: 'welcome', room: 'room-1', greeting: 'Hello' });
    await ws.send('hi');
    expect(await ws.receiveText()).toBe('[room-1] hi');
    await ws.send('bye');
    expect(await ws.closed).toEqual({ code: 1000, reason: '' });
    expect([ws.closeCode, ws.closeReason]).toEqual([1000, '']);
  });

  it('ends the server loop when the client closes', async () => {
    const ws = await client.websocket('/ws/room-2?token=let-me-in');
    await ws.receiveJson();
    await ws.close(4000, 'done');
    expect(await ws.closed).toEqual({ code: 4000, reason: 'done' });
  });

  it('refuses the handshake with HTTP 401 without the token', async () => {
    const error = await client.websocket('/ws/room-1').catch((err: unknown) => err);
    expect(error).toBeInstanceOf(WebSocketHandshakeError);
    expect(error).toMatchObject({ status: 401, body: 'Unauthorized' });
  });

  it('refuses an origin outside settings.origins with HTTP 403', async () => {
    const error = await client
      .websocket('/ws/room-1?token=let-me-in', { headers: { origin: 'https://evil.example' } })
      .catch((err: unknown) => err);
    expect(error).toMatchObject({ status: 403, body: 'Origin https://evil.example is not allowed' });
  });
});
