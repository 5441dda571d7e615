import { randomBytes } from 'node:crypto';
import { deleteKeys, redisAvailable } from '../../../packages/websocket/test/helpers/redis';
import { POSTGRES_URL, postgresAvailable } from '../../../packages/websocket/test/helpers/stores';
import { ChatClient, copyRoomChat, launchRoomChat, readUntil, removeRoomChatCopies, stopLaunchedExamples, type Frame } from './room-chat';

jest.setTimeout(60_000); // launches the CLI against Redis and PostgreSQL; every step waits on a reply

const services = redisAvailable('room_chat production shape') && postgresAvailable('room_chat production shape');
const prefix = `rc_${process.pid}_${randomBytes(3).toString('hex')}`;
const SECRET = randomBytes(32).toString('base64url');

afterAll(async () => {
  await stopLaunchedExamples();
  removeRoomChatCopies();
  if (!services) return;
  await deleteKeys(`${prefix}:`);
  const { Client } = require('pg') as typeof import('pg');
  const client = new Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(['users', 'rooms', 'messages', 'streams'].map((t) => `DROP TABLE IF EXISTS ${prefix}_${t}`).join('; '));
  await client.end();
});

(services ? describe : describe.skip)('serv launch -c serv.production.yaml (Redis broker and sessions, PostgreSQL store and users)', () => {
  it('signs up into PostgreSQL, keeps the session in Redis, and stores messages with history across a restart', async () => {
    const dir = copyRoomChat({ prefix });
    const launch = (port = 0) => launchRoomChat(dir, port, ['--config', 'serv.production.yaml'], { SERV_SESSION_SECRET: SECRET });
    let server = await launch();
    const ada = await new ChatClient(server.url).signup('ada');
    expect((await new ChatClient(server.url).request('POST', '/api/signup', { name: 'ada', password: 'whatever1' })).status).toBe(409);
    const ws = await ada.socket('prod-room');
    expect((await readUntil(ws, (f) => f.type === 'presence')).frame.members).toEqual(['ada']);
    await ws.send(JSON.stringify({ type: 'message', text: 'stored in PostgreSQL' }));
    const { frame } = await readUntil(ws, (f) => f.offset !== undefined);
    expect(frame).toMatchObject({ room: 'prod-room', offset: 1, data: { kind: 'message', user: 'ada', text: 'stored in PostgreSQL' } });
    await ws.close();

    const { port } = server;
    expect(await server.stop()).toBe(0);
    server = await launch(port);
    expect(await ada.request('GET', '/api/me')).toMatchObject({ status: 200, json: { user: { name: 'ada' } } }); // the Redis session
    const history = (await ada.request('GET', '/api/rooms/prod-room/history')).json.messages as Frame[];
    expect(history.map((m) => [m.offset, m.data.text])).toEqual([[1, 'stored in PostgreSQL']]);
    expect((await ada.request('GET', '/api/rooms')).json.rooms).toEqual([{ name: 'prod-room', members: 0 }]);
    const login = await new ChatClient(server.url).request('POST', '/api/login', { name: 'ada', password: 'password-ada' });
    expect(login).toMatchObject({ status: 200, json: { user: { name: 'ada' } } });
    expect(await server.stop()).toBe(0);
  });
});
