import { FileResponse, Get, Route } from '@serv/core';
import { resolve } from 'node:path';

const PUBLIC_DIR = resolve(__dirname, 'public');

/** The page at `/`; its script and style come from the `/assets` static folder (extension.yaml). */
@Route('/')
export class PageRoute {
  @Get()
  page(): FileResponse {
    return new FileResponse('index.html', { root: PUBLIC_DIR, headers: { 'cache-control': 'no-cache' } });
  }
}
