import { createServer, type Server } from 'node:net';

/**
 * Ports nobody listens on right now, for programs that cannot listen on port 0 and say which port they got (nginx
 * binds one but never reports it): bound on 127.0.0.1 port 0 all at once, so they differ, then closed for the
 * program to take. Another process could take one in between; on a test machine that is rare enough.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () =>
      new Promise<Server>((done, fail) => {
        const server = createServer().once('error', fail);
        server.listen(0, '127.0.0.1', () => done(server));
      }),
    ),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  return ports;
}
