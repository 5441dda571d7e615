import { WebSocket } from 'ws';
import { fetchOnce, parseScrape, valueOf } from '../../../core/test/helpers/prometheus';
import { useEchoAppWithRoute } from '../helpers/scaffold-app';

jest.setTimeout(60_000);

const PID_ROUTE = `import { Get, Param, Route } from '@serv/core';

@Route('/pid')
export class PidRoute {
  @Get('/{n:int}')
  get(@Param('n') n: number): string {
    return \`\${process.pid} \${n}\`;
  }
}
`;

/** Opens an echo connection and resolves once it is open. */
function openEcho(port: number): Promise<WebSocket> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/ws/echo`);
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Sends `text` and resolves with the reply. */
function echo(socket: WebSocket, text: string): Promise<string> {
  return new Promise((resolve) => {
    socket.once('message', (data) => resolve(String(data)));
    socket.send(text);
  });
}

describe('serv launch --workers 2: metrics', () => {
  const app = useEchoAppWithRoute('pid', PID_ROUTE);

  it('answers one scrape of the port with the totals of both workers', async () => {
    const server = app.launch(['launch', '--port', '0', '--workers', '2']);
    const { url, port } = await server.listening();
    // Fresh connections are handed to the workers in turn: send until both answered (bounded), counting each request.
    const pids = new Set<string>();
    let sent = 0;
    while (sent < 40 && (pids.size < 2 || sent < 6)) {
      const res = await fetchOnce(`${url}/pid/${sent}`);
      expect(res.status).toBe(200);
      pids.add(res.body.split(' ')[0] as string);
      sent += 1;
    }
    expect(pids.size).toBe(2);

    const sockets = await Promise.all([1, 2, 3, 4].map(() => openEcho(port)));
    for (const [i, socket] of sockets.entries()) {
      for (let j = 0; j <= i; j += 1) expect(await echo(socket, `m${j}`)).toBe(`Echo: m${j}`);
    }

    const res = await fetchOnce(`${url}/metrics`);
    expect(res.status).toBe(200);
    const scrape = parseScrape(res.body);
    expect(valueOf(scrape, 'serv_http_requests_total', 'COUNTER', { method: 'GET', route: '/pid/{n:int}', status: '200' })).toBe(sent);
    expect(valueOf(scrape, 'serv_http_request_duration_seconds', 'HISTOGRAM', { method: 'GET', route: '/pid/{n:int}' })).toBe(sent);
    const route = { route: '/ws/echo' };
    expect(valueOf(scrape, 'serv_websocket_connections', 'GAUGE', route)).toBe(4);
    expect(valueOf(scrape, 'serv_websocket_messages_received_total', 'COUNTER', route)).toBe(1 + 2 + 3 + 4);
    expect(valueOf(scrape, 'serv_websocket_messages_sent_total', 'COUNTER', route)).toBe(1 + 2 + 3 + 4);
    // prom-client's process metrics are combined too (CPU time summed over the two workers).
    expect(valueOf(scrape, 'process_cpu_user_seconds_total', 'COUNTER')).toBeGreaterThan(0);

    await Promise.all(sockets.map((socket) => new Promise((resolve) => {
      socket.once('close', resolve);
      socket.close(1000);
    })));
    expect(await server.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  });
});
