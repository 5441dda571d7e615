import { FileResponse, Get, Route } from '@serv/core';

/** `@serv/websocket/client` (the reconnecting, resuming client) served to the page as an ES module: no CDN, no bundler. */
@Route('/vendor/serv-client.mjs')
export class ClientModule {
  readonly #path = require.resolve('@serv/websocket/client');

  @Get()
  module(): FileResponse {
    return new FileResponse(this.#path, { contentType: 'text/javascript; charset=utf-8', headers: { 'cache-control': 'no-cache' } });
  }
}
