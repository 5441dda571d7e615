'use strict';
/**
 * `--semi-space LIST`: one summary row per young-generation size Serv ran with in this run — every echo cell's ratio
 * to the equivalent bare ws (at Node's default flags), HTTP against fastify, RSS per idle connection and RSS under the
 * 500 × 16 KiB load — so the knee can be read off one table (docs/performance.md).
 */

const { ratio, bytes, markdownTable } = require('./table');

function cellLabel(row) {
  const size = row.size >= 1024 ? `${row.size / 1024} KiB` : `${row.size} B`;
  return `${row.connections} × ${size}, ${row.mode === 'single' ? '1' : row.inflight} in flight`;
}

/** The Markdown summary table of the sizes in `opts.semiSpaces` (plus the default `serv` row), from the sections. */
function renderSweep(sections, opts) {
  const ws = sections.find((s) => s.id === 'ws');
  const idle = sections.find((s) => s.id === 'idle');
  const http = sections.find((s) => s.id === 'http');
  const wsRows = ws ? ws.rows.filter((r) => r.kind === 'serv' || r.kind === 'serv-variant') : [];
  const cells = [];
  for (const row of wsRows) if (!cells.some((c) => cellLabel(c) === cellLabel(row))) cells.push(row);
  const ids = ['serv', ...opts.semiSpaces.map((mb) => `serv@${mb}`)];
  const headers = ['Serv run with', ...cells.map((c) => `echo ${cellLabel(c)}`), 'worst echo cell', 'HTTP vs fastify', 'RSS / idle conn vs bare ws', 'RSS / conn right after the handshakes', 'RSS under 500 × 16 KiB load'];
  const body = ids.map((id) => {
    const echo = cells.map((cell) => wsRows.find((r) => r.serverId === id && cellLabel(r) === cellLabel(cell)));
    const ratios = echo.map((r) => (r && r.equivRatio !== undefined ? r.equivRatio : null));
    const known = ratios.filter((v) => v !== null);
    const httpRow = http && http.rows.find((r) => r.serverId === id);
    const idleRow = idle && idle.rows.find((r) => r.serverId === id);
    const loadRow = wsRows.find((r) => r.serverId === id && r.mode === 'pipelined' && r.connections === 500 && r.size === 16 * 1024);
    const label = id === 'serv' ? 'the default (serv launch as shipped)' : id.slice('serv@'.length) === 'default' ? "Node's default" : `${id.slice('serv@'.length)} MB`;
    return [
      label,
      ...ratios.map((v) => ratio(v)),
      known.length === 0 ? '—' : ratio(Math.min(...known)),
      httpRow && httpRow.ratios ? ratio(httpRow.ratios.fastify) : '—',
      idleRow && idleRow.rssRatio !== undefined ? `${bytes(idleRow.rssPerConn)} (${ratio(idleRow.rssRatio)})` : '—',
      idleRow && typeof idleRow.burstRssPerConn === 'number' ? bytes(idleRow.burstRssPerConn) : '—',
      loadRow ? bytes(loadRow.rssUnderLoad) : '—',
    ];
  });
  const note = 'Each echo figure is Serv at that size ÷ the equivalent bare ws at Node\'s default flags, same cell, same run (msg/s for 64 B, MB/s for 16 KiB); HTTP ÷ fastify (at Node\'s defaults); idle RSS per connection at the idle count of this run ÷ the equivalent bare ws; RSS under load = the Serv process\'s resident memory at the end of the 500 × 16 KiB, pipelined window.';
  return `${note}\n\n${markdownTable(headers, body)}`;
}

module.exports = { renderSweep };
