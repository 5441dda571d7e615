import { createApp, Get, Logger, Route, ServError } from '@serv/core';

@Route('/')
class Home {
  @Get() get() {
    return 'home';
  }
}

describe('settings.tls', () => {
  it('rejects listen() naming the setting and the file when the certificate cannot be read', async () => {
    const app = createApp({
      routes: [Home],
      logger: new Logger('test', 'silent'),
      settings: { tls: { certFile: '/nonexistent/cert.pem', keyFile: '/nonexistent/key.pem' } },
    });
    const error = (await app.listen({ host: '127.0.0.1', port: 0 }).catch((err: unknown) => err)) as ServError;
    expect(error).toBeInstanceOf(ServError);
    expect(error.code).toBe('SERV_LISTEN');
    expect(error.message).toBe('settings.tls.cert_file: cannot read /nonexistent/cert.pem (ENOENT); point it at a PEM file');
  });
});
