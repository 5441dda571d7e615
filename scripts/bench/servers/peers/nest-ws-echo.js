'use strict';
/**
 * Peer (opt-in, `--peers`): a NestJS gateway on @nestjs/platform-ws answering `{"event":"echo","data":…}` with the
 * same message, the way the NestJS docs write a ws gateway. Plain CommonJS, so decorators are applied with
 * Reflect.decorate. Prints `Bench listening on http://HOST:PORT`.
 * Needs `npm install --prefix scripts/bench` (the NestJS packages are dev dependencies of the bench package only).
 */

require('reflect-metadata');
const { NestFactory } = require('@nestjs/core');
const { Module } = require('@nestjs/common');
const { WebSocketGateway, SubscribeMessage, MessageBody } = require('@nestjs/websockets');
const { WsAdapter } = require('@nestjs/platform-ws');

const portFlag = process.argv.indexOf('--port');
const port = portFlag === -1 ? 0 : Number(process.argv[portFlag + 1]);

class EchoGateway {
  echo(data) {
    return { event: 'echo', data };
  }
}
MessageBody()(EchoGateway.prototype, 'echo', 0);
Reflect.decorate([SubscribeMessage('echo')], EchoGateway.prototype, 'echo', Object.getOwnPropertyDescriptor(EchoGateway.prototype, 'echo'));
Reflect.decorate([WebSocketGateway({ perMessageDeflate: false, maxPayload: 1024 * 1024 })], EchoGateway);

class AppModule {}
Reflect.decorate([Module({ providers: [EchoGateway] })], AppModule);

async function main() {
  const app = await NestFactory.create(AppModule, { logger: false });
  app.useWebSocketAdapter(new WsAdapter(app));
  await app.listen(port, '127.0.0.1');
  console.log(`Bench listening on http://127.0.0.1:${app.getHttpServer().address().port}`);
  process.on('SIGTERM', () => {
    app.close().then(() => process.exit(0));
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
