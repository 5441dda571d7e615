import { FileResponse, Get, NotFoundError, Param, Query, Route, UseGuards, contentDisposition } from '@serv/core';
import { FileStore, PREVIEWABLE } from './file-store';
import { requireUser } from './require-user';

/** Downloads of shared files, for signed-in users. */
@Route('/files')
@UseGuards(requireUser)
export class FileRoutes {
  constructor(private readonly files: FileStore) {}

  /**
   * The stored bytes with the original name: images inline (for the preview `<img>`), everything else, and any file
   * with `?download=1`, as an attachment. Never sniffed, so an uploaded page cannot run as this site.
   */
  @Get('/{id}/{name}')
  async download(@Param('id') id: string, @Param('name') name: string, @Query('download') download?: string): Promise<FileResponse> {
    const file = await this.files.describe(id);
    if (file === undefined || file.name !== name) throw new NotFoundError(`No shared file /files/${id}/${name}`);
    const inline = PREVIEWABLE.has(file.mime) && download === undefined;
    return new FileResponse(id, {
      root: this.files.dir,
      contentType: file.mime,
      headers: {
        'content-disposition': contentDisposition(file.name, inline ? 'inline' : 'attachment'),
        'x-content-type-options': 'nosniff',
        'content-security-policy': "sandbox; default-src 'none'",
        'cache-control': 'private, max-age=86400',
      },
    });
  }
}
