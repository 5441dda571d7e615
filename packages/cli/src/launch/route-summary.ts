import { isAbsolute, relative } from 'node:path';
import type { RouteRow } from './load-app';

/** The route table as aligned columns METHOD, PATH, HANDLER, SOURCE; WebSocket routes show `WS` as the method. */
export function formatRouteTable(rows: readonly RouteRow[], cwd: string = process.cwd()): string {
  if (rows.length === 0) return 'No routes. Add one with "serv create route" or "serv create websocket".\n';
  const cells = [
    ['METHOD', 'PATH', 'HANDLER', 'SOURCE'],
    ...rows.map((row) => [methodLabel(row), row.path, row.handler, shortSource(row.source, cwd)]),
  ];
  const widths = [0, 1, 2].map((column) => Math.max(...cells.map((line) => line[column]!.length)));
  const lines = cells.map((line) =>
    line
      .map((cell, column) => (column < 3 ? cell.padEnd(widths[column]!) : cell))
      .join('  ')
      .trimEnd(),
  );
  return `${lines.join('\n')}\n`;
}

/** `3 routes: 2 HTTP, 1 WebSocket`, naming up to three ws:// URLs when the app listens at `baseUrl`. */
export function summariseRoutes(rows: readonly RouteRow[], baseUrl?: string): string {
  const sockets = rows.filter((row) => row.kind === 'websocket');
  const http = rows.length - sockets.length;
  const head = `${rows.length} ${rows.length === 1 ? 'route' : 'routes'}: ${http} HTTP, ${sockets.length} WebSocket`;
  if (baseUrl === undefined || sockets.length === 0) return head;
  const wsBase = baseUrl.replace(/^http/, 'ws').replace(/\/$/, '');
  const shown = sockets.slice(0, 3).map((row) => `${wsBase}${row.path}`);
  const more = sockets.length > 3 ? `, +${sockets.length - 3} more` : '';
  return `${head} (${shown.join(', ')}${more})`;
}

function methodLabel(row: RouteRow): string {
  return row.kind === 'websocket' ? 'WS' : row.methods.join(',');
}

// Sources are "file:line" or "file (router main_router)"; shorten absolute file paths to the cwd.
function shortSource(source: string, cwd: string): string {
  if (!isAbsolute(source)) return source;
  const rel = relative(cwd, source);
  return rel.startsWith('..') ? source : rel;
}
