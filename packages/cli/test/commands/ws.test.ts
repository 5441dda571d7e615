import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type ServerOptions, type WebSocket } from 'ws';
import { assertBuilt, makeTempDir, removeTempDir, runServ, ServProcess } from '../helpers/serv-process';

describe('serv ws', () => {
  let dir: string;
  let server: WebSocketServer | undefined;
  let running: ServProcess | undefined;

  beforeAll(assertBuilt);
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(async () => {
    if (running !== undefined) await running.stop();
    running = undefined;
    if (server !== undefined) {
      for (const client of server.clients) client.terminate();
      await new Promise((resolve) => server!.close(resolve));
    }
    server = undefined;
    removeTempDir(dir);
  });

  async function startServer(onConnection: (socket: WebSocket, request: import('node:http').IncomingMessage) => void, options: ServerOptions = {}): Promise<string> {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0, ...options });
    server.on('connection', onConnection);
    await once(server, 'listening');
    return `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`;
  }

  const echo = (socket: WebSocket): void => {
    socket.on('message', (data, isBinary) => socket.send(`Echo: ${data.toString()}`, { binary: isBinary }));
  };

  it('exits 0 and prints the reply when it contains --expect', async () => {
    const url = await startServer(echo);
    const result = await runServ(['ws', url, '--send', 'hi', '--expect', 'Echo: hi'], { cwd: dir });
    expect(result).toMatchObject({ code: 0, stdout: '< Echo: hi\n', stderr: '' });
  });

  it('waits for one reply per --send without --expect', async () => {
    const url = await startServer(echo);
    const result = await runServ(['ws', url, '--send', 'a', '--send', 'b'], { cwd: dir });
    expect(result).toMatchObject({ code: 0, stdout: '< Echo: a\n< Echo: b\n' });
  });

  it('exits 1 naming the text and the timeout when no reply matches', async () => {
    const url = await startServer(() => undefined);
    const result = await runServ(['ws', url, '--send', 'hi', '--expect', 'nope', '--timeout', '200'], { cwd: dir });
    expect(result).toMatchObject({ code: 1, stdout: '', stderr: 'No reply containing "nope" within 200 ms\n' });
  });

  it('exits 1 naming the HTTP status when the handshake is refused', async () => {
    const url = await startServer(() => undefined, { verifyClient: (_info, done) => done(false, 401, 'Unauthorized') });
    const result = await runServ(['ws', url, '--send', 'hi'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`WebSocket handshake refused by ${url}: HTTP 401 Unauthorized: Unauthorized\n`);
  });

  it('exits 1 with ECONNREFUSED when nothing listens', async () => {
    const probe: Server = createServer();
    probe.listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const url = `ws://127.0.0.1:${port}/ws`;
    const result = await runServ(['ws', url, '--send', 'hi'], { cwd: dir });
    expect(result).toMatchObject({ code: 1, stderr: `Could not connect to ${url}: ECONNREFUSED\n` });
  });

  it('sends --header values and offers --subprotocol', async () => {
    const url = await startServer(
      (socket, request) => socket.send(`${String(request.headers['x-token'])}|${socket.protocol}`),
      { handleProtocols: (protocols) => (protocols.has('chat') ? 'chat' : false) },
    );
    const result = await runServ(['ws', url, '--header', 'X-Token: abc', '--subprotocol', 'chat', '--expect', 'abc|chat'], { cwd: dir });
    expect(result).toMatchObject({ code: 0, stdout: '< abc|chat\n' });
  });

  it('sends binary frames with --binary and prints binary replies', async () => {
    const url = await startServer((socket) => socket.on('message', (data, isBinary) => socket.send(Buffer.from(`binary=${isBinary} ${data.toString()}`), { binary: true })));
    const result = await runServ(['ws', url, '--binary', '--send', 'hi'], { cwd: dir });
    expect(result).toMatchObject({ code: 0, stdout: '< (binary) binary=true hi\n' });
  });

  it('traces the handshake, frames and close with --verbose on stderr', async () => {
    const url = await startServer(echo);
    const result = await runServ(['ws', url, '--send', 'hi', '--verbose'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('< Echo: hi\n');
    const lines = result.stderr.replace(/at \d+ ms/g, 'at N ms').split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        `* Connecting to ${url}`,
        '* Handshake: HTTP 101 Switching Protocols at N ms',
        '*   Upgrade: websocket',
        '* Open at N ms (subprotocol: none, extensions: none)',
        '> text 2 bytes at N ms: hi',
        '< text 8 bytes at N ms: Echo: hi',
        '* Sending close 1000 at N ms',
        '* Closed 1000 "" at N ms',
      ]),
    );
  });

  it('sends each stdin line in interactive mode and exits 0 when stdin ends', async () => {
    const url = await startServer(echo);
    running = new ServProcess(['ws', url], { cwd: dir });
    running.child.stdin.write('first\n');
    await running.waitFor(/< Echo: first\n/);
    running.child.stdin.write('second\n');
    await running.waitFor(/< Echo: second\n/);
    running.child.stdin.end();
    expect(await running.exited).toEqual({ code: 0, signal: null });
    expect(running.stdout).toBe('< Echo: first\n< Echo: second\n');
  });

  it('prints the replies to piped input before closing', async () => {
    const url = await startServer(echo);
    const result = await runServ(['ws', url], { cwd: dir, input: 'a\nb\n' });
    expect(result).toMatchObject({ code: 0, stdout: '< Echo: a\n< Echo: b\n' });
  });

  it('exits 1 with the code and reason when the server closes abnormally', async () => {
    const url = await startServer((socket) => socket.close(1011, 'boom'));
    running = new ServProcess(['ws', url], { cwd: dir });
    expect(await running.exited).toEqual({ code: 1, signal: null });
    expect(running.stderr).toBe('Connection closed: 1011 boom\n');
  });

  it('rejects a non-WebSocket URL as a usage error', async () => {
    const result = await runServ(['ws', 'http://127.0.0.1:1/ws'], { cwd: dir });
    expect(result).toMatchObject({
      code: 2,
      stderr: 'URL must start with ws:// or wss://, got "http://127.0.0.1:1/ws". Did you mean "ws://127.0.0.1:1/ws"?\nRun "serv ws --help" for usage.\n',
    });
  });
});
