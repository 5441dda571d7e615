import { WebSocketHandshakeError } from '@serv/websocket';
import { ChatClient, copyRoomChat, launchRoomChat, nextFrame, readUntil, removeRoomChatCopies, stopLaunchedExamples, type Frame } from './room-chat';

jest.setTimeout(60_000); // each describe launches the CLI; every step waits on a reply, not on time

let base: string;

beforeAll(async () => {
  base = (await launchRoomChat(copyRoomChat())).url;
});

afterAll(async () => {
  await stopLaunchedExamples();
  removeRoomChatCopies();
});

const client = (): ChatClient => new ChatClient(base);
let unique = 0;
const name = (prefix: string): string => `${prefix}${++unique}`;

describe('accounts', () => {
  it('signs up, signs in with the cookie, and refuses a taken name with 409', async () => {
    const ada = client();
    const signup = await ada.request('POST', '/api/signup', { name: 'ada', password: 'correct horse' });
    expect(signup.status).toBe(201);
    expect(signup.json).toEqual({ user: { id: expect.any(Number), name: 'ada' } });
    expect(signup.headers.get('set-cookie')).toMatch(/^serv_session=[^;]+; .*HttpOnly/);
    expect(await ada.request('GET', '/api/me')).toMatchObject({ status: 200, json: { user: { name: 'ada' } } });

    const again = await client().request('POST', '/api/signup', { name: 'ada', password: 'another one' });
    expect(again).toMatchObject({ status: 409, json: { error: { code: 'name_taken', message: 'The name "ada" is taken; choose another one' } } });
  });

  it('answers 400 with what to change for a bad name, a short password or a body that is not JSON', async () => {
    const c = client();
    expect((await c.request('POST', '/api/signup', { name: 'a b', password: 'long enough' })).json).toEqual({
      error: { code: 'bad_request', message: 'The name must be 1 to 32 letters, digits, "_", "." or "-"' },
    });
    expect((await c.request('POST', '/api/signup', { name: 'x'.repeat(33), password: 'long enough' })).status).toBe(400);
    expect((await c.request('POST', '/api/signup', { name: 'bob', password: 'short' })).json).toEqual({
      error: { code: 'bad_request', message: 'The password must be 8 to 200 characters long' },
    });
    const notJson = await c.request('POST', '/api/signup', '{"name":');
    expect(notJson.status).toBe(400);
    expect(notJson.json.error.code).toBe('bad_request');
    expect(notJson.json.error.message).toMatch(/^Invalid JSON body/);
  });

  it('logs in with the right password only, and logs out (the session and its sockets end)', async () => {
    const who = name('grace');
    await client().signup(who);
    const c = client();
    expect(await c.request('POST', '/api/login', { name: who, password: 'wrong password' })).toMatchObject({
      status: 401,
      json: { error: { code: 'wrong_credentials', message: 'Wrong name or password' } },
    });
    expect(await c.request('POST', '/api/login', { name: who, password: `password-${who}` })).toMatchObject({ status: 200, json: { user: { name: who } } });
    const ws = await c.socket('logout-room');
    expect(await c.request('POST', '/api/logout')).toMatchObject({ status: 200, json: { ok: true } });
    expect((await ws.closed).code).toBe(4401);
    expect(await c.request('GET', '/api/me')).toMatchObject({ status: 401 });
  });

  it('guards the API, the files and the room sockets with 401 for anonymous visitors', async () => {
    const anonymous = client();
    for (const path of ['/api/me', '/api/rooms', '/api/rooms/lobby/history', '/files/AAAAAAAAAAAAAAAAAAAAAA/a.png']) {
      const res = await anonymous.request('GET', path);
      expect([path, res.status]).toEqual([path, 401]);
    }
    expect((await anonymous.request('GET', '/api/me')).json).toEqual({ error: { code: 'unauthorized', message: 'Sign in first' } });
    const refused = await anonymous.socket('lobby').catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(WebSocketHandshakeError);
    expect(refused).toMatchObject({ status: 401, body: 'Sign in first' });
  });
});

describe('rooms and history', () => {
  it('refuses bad room names with 400, over HTTP and on the handshake', async () => {
    const c = await client().signup(name('rita'));
    const history = await c.request('GET', '/api/rooms/a%20b/history');
    expect(history).toMatchObject({ status: 400, json: { error: { code: 'bad_room', message: 'Room name "a b" is not allowed: use 1 to 64 letters, digits, "_", "." or "-"' } } });
    expect((await c.request('GET', `/api/rooms/${'r'.repeat(65)}/history`)).status).toBe(400);
    for (const room of ['a%20b', 'r'.repeat(65), '%3Cscript%3E']) {
      const refused = await c.socket(room).catch((err: unknown) => err);
      expect(refused).toMatchObject({ status: 400 });
    }
    expect(((await c.socket('ok', '?after=x').catch((err: unknown) => err)) as WebSocketHandshakeError).body).toBe(
      'Query parameter "after" must be an offset (an integer >= 0), got "x"',
    );
    expect((await c.request('GET', '/api/rooms/lobby/history?limit=101')).json.error.message).toBe('Query parameter "limit" must be an integer from 1 to 100, got "101"');
    expect((await c.request('GET', '/api/rooms/lobby/history?before=abc')).status).toBe(400);
  });

  it('stores messages, gives the last 50 on a first join, pages upward with before, and resumes with after', async () => {
    const room = name('paging');
    const pat = name('pat');
    const c = await client().signup(pat);
    const writer = await c.socket(room);
    await readUntil(writer, (f) => f.type === 'presence');
    for (let i = 1; i <= 120; i += 1) writer.send(JSON.stringify({ type: 'message', text: `m${i}` }));
    const { frame: last } = await readUntil(writer, (f) => f.data?.text === 'm120');
    expect(last).toEqual({ room, offset: 120, epoch: expect.any(String), at: expect.any(Number), data: { kind: 'message', user: pat, text: 'm120' } });

    const newest = (await c.request('GET', `/api/rooms/${room}/history`)).json.messages as Frame[];
    expect(newest.map((m) => m.offset)).toEqual(Array.from({ length: 50 }, (_, i) => 71 + i));
    expect(newest[0]).toEqual({ room, offset: 71, epoch: last.epoch, at: expect.any(Number), data: { kind: 'message', user: pat, text: 'm71' } });
    const older = (await c.request('GET', `/api/rooms/${room}/history?before=71&limit=100`)).json.messages as Frame[];
    expect(older.map((m) => m.offset)).toEqual(Array.from({ length: 70 }, (_, i) => 1 + i));
    expect((await c.request('GET', `/api/rooms/${room}/history?before=11&limit=5`)).json.messages.map((m: Frame) => m.offset)).toEqual([6, 7, 8, 9, 10]);
    expect((await c.request('GET', `/api/rooms/${room}/history?before=1`)).json.messages).toEqual([]);

    const fresh = await c.socket(room);
    const first = await readUntil(fresh, (f) => f.type === 'presence');
    expect(first.skipped.map((f) => f.offset)).toEqual(Array.from({ length: 50 }, (_, i) => 71 + i));

    const resumed = await c.socket(room, `?after=115&epoch=${last.epoch}`);
    expect((await readUntil(resumed, (f) => f.type === 'presence')).skipped.map((f) => f.data.text)).toEqual(['m116', 'm117', 'm118', 'm119', 'm120']);

    const rooms = (await c.request('GET', '/api/rooms')).json.rooms as Array<{ name: string; members: number }>;
    expect(rooms.find((r) => r.name === room)).toEqual({ name: room, members: 1 }); // three sockets, one user
    await Promise.all([writer.close(), fresh.close(), resumed.close()]);
  });

  it('sends presence on every join and leave, with distinct sorted names', async () => {
    const room = name('presence');
    const [zoeName, amyName] = [name('zoe'), name('amy')];
    const zoe = await client().signup(zoeName);
    const amy = await client().signup(amyName);
    const z = await zoe.socket(room);
    expect((await readUntil(z, (f) => f.type === 'presence')).frame.members).toEqual([zoeName]);
    const a = await amy.socket(room);
    expect((await readUntil(a, (f) => f.type === 'presence')).frame.members).toEqual([amyName, zoeName]);
    expect((await readUntil(z, (f) => f.type === 'presence')).frame.members).toEqual([amyName, zoeName]);
    await a.close();
    expect((await readUntil(z, (f) => f.type === 'presence')).frame.members).toEqual([zoeName]);
    await z.close();
  });
});

describe('hostile input on a room socket', () => {
  it('answers each bad frame with an error frame and keeps the socket usable', async () => {
    const room = name('hostile');
    const eve = name('eve');
    const c = await client().signup(eve);
    const ws = await c.socket(room);
    await readUntil(ws, (f) => f.type === 'presence');
    const expectError = async (code: string, message: string | RegExp): Promise<void> => {
      const frame = await nextFrame(ws);
      expect(frame).toEqual({ type: 'error', code, message: typeof message === 'string' ? message : expect.stringMatching(message) });
    };

    await ws.send('not json');
    await expectError('bad_message', 'Frames must be JSON such as {"type":"message","text":"hi"}');
    await ws.send(JSON.stringify({ type: 'shout', text: 'hi' }));
    await expectError('bad_message', 'Unknown message type "shout"; use "message", "typing" or "file"');
    await ws.send(JSON.stringify({ type: 'message', text: '   ' }));
    await expectError('bad_message', 'A message cannot be empty');
    await ws.send(JSON.stringify({ type: 'message', text: 'x'.repeat(4001) }));
    await expectError('too_large', 'A message can be at most 4000 characters; this one has 4001');
    await ws.send(Buffer.from([1, 2, 3]));
    await expectError('bad_message', 'A binary frame must follow a {"type":"file","name","mime","size"} header');
    await ws.send(JSON.stringify({ type: 'file', name: 'big.bin', mime: 'application/octet-stream', size: 5 * 1024 * 1024 + 1 }));
    await expectError('too_large', '"big.bin" has 5242881 bytes; files can be at most 5242880 bytes (5 MiB)');
    await ws.send(Buffer.alloc(5 * 1024 * 1024 + 1)); // the refused file's bytes: dropped without another error
    await ws.send(JSON.stringify({ type: 'file', name: 'short.txt', mime: 'text/plain', size: 10 }));
    await ws.send(Buffer.from('four'));
    await expectError('bad_message', 'The header of "short.txt" announced 10 bytes but the frame has 4; the file was dropped');

    const html = '<img src=x onerror="alert(1)"><b>bold</b> & <script>x</script>';
    await ws.send(JSON.stringify({ type: 'message', text: html }));
    const echoed = await nextFrame(ws);
    expect(echoed.data).toEqual({ kind: 'message', user: eve, text: html });
    expect((await c.request('GET', `/api/rooms/${room}/history`)).json.messages.map((m: Frame) => m.data.text)).toEqual([html]);
    await ws.close();
  });

  it('stores a file sent as a header and one binary frame, and serves the same bytes with the original name', async () => {
    const room = name('files');
    const fay = name('fay');
    const c = await client().signup(fay);
    const ws = await c.socket(room);
    await readUntil(ws, (f) => f.type === 'presence');
    const bytes = Buffer.from('\x89PNG\r\n\x1a\n pretend image bytes', 'latin1');
    await ws.send(JSON.stringify({ type: 'file', name: 'photo of ü.png', mime: 'image/png', size: bytes.length }));
    await ws.send(bytes);
    const envelope = await nextFrame(ws);
    expect(envelope.data).toEqual({
      kind: 'file',
      user: fay,
      file: { id: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/), name: 'photo of ü.png', mime: 'image/png', size: bytes.length, url: expect.any(String) },
    });
    const { file } = envelope.data;
    expect(file.url).toBe(`/files/${file.id}/photo%20of%20%C3%BC.png`);

    const inline = await c.request('GET', file.url);
    expect(inline.status).toBe(200);
    expect(inline.bytes.equals(bytes)).toBe(true);
    expect(inline.headers.get('content-type')).toBe('image/png');
    expect(inline.headers.get('content-disposition')).toBe(`inline; filename="photo of _.png"; filename*=UTF-8''photo%20of%20%C3%BC.png`);
    const download = await c.request('GET', `${file.url}?download=1`);
    expect(download.bytes.equals(bytes)).toBe(true);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; /);
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await c.request('GET', `/files/${file.id}/other.png`)).status).toBe(404);
    expect((await c.request('GET', '/files/not-an-id/x.png')).status).toBe(404);
    await ws.close();
  });

  it('throttles typing: one broadcast per user per interval, one error per second to a flooding socket', async () => {
    const room = name('typing');
    const floName = name('flo');
    const flooder = await client().signup(floName);
    const watcher = await client().signup(name('wat'));
    const w = await watcher.socket(room);
    await readUntil(w, (f) => f.type === 'presence');
    const f = await flooder.socket(room);
    await readUntil(f, (x) => x.type === 'presence');
    for (let i = 0; i < 100; i += 1) f.send(JSON.stringify({ type: 'typing' }));
    await f.send(JSON.stringify({ type: 'message', text: 'done typing' }));

    const seen = await readUntil(w, (x) => x.data?.text === 'done typing');
    expect(seen.skipped.filter((x) => x.type !== 'presence')).toEqual([{ type: 'typing', user: floName }]);
    const flooded = await readUntil(f, (x) => x.data?.text === 'done typing');
    const errors = flooded.skipped.filter((x) => x.type === 'error');
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(new Set(errors.map((e) => JSON.stringify(e)))).toEqual(
      new Set([JSON.stringify({ type: 'error', code: 'rate_limited', message: 'Too many typing events: at most 20 per second are read, the rest are ignored' })]),
    );
    expect(f.closeCode).toBeNull();
    expect((await flooder.request('GET', '/api/me')).status).toBe(200); // the server is fine
    await Promise.all([f.close(), w.close()]);
  });
});

describe('login throttle', () => {
  it('answers 429 with Retry-After after five wrong passwords for a name', async () => {
    const dir = copyRoomChat();
    const server = await launchRoomChat(dir);
    const c = new ChatClient(server.url);
    await new ChatClient(server.url).signup('target');
    for (let i = 0; i < 5; i += 1) expect((await c.request('POST', '/api/login', { name: 'target', password: `guess-${i}-xx` })).status).toBe(401);
    const locked = await c.request('POST', '/api/login', { name: 'target', password: 'password-target' });
    expect(locked).toMatchObject({ status: 429, json: { error: { code: 'rate_limited', message: 'Too many failed logins; try again later' } } });
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    await server.stop();
  });
});
