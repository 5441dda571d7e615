'use strict';
/** Markdown tables and number formatting shared by every section's report. */

/** Formats a number with a sensible precision for a table cell; '—' for null/undefined/NaN. */
function num(value, digits) {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (digits !== undefined) return value.toFixed(digits);
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** Formats a ratio as `0.97×`. */
function ratio(value) {
  return value === null || value === undefined || Number.isNaN(value) ? '—' : `${value.toFixed(2)}×`;
}

/** Formats bytes as B / KB / MB (decimal units, as RSS is usually quoted). */
function bytes(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${(value / 1e6).toFixed(1)} MB`;
  if (abs >= 1e3) return `${(value / 1e3).toFixed(2)} KB`;
  return `${Math.round(value)} B`;
}

/** PASS / FAIL / '' for a target verdict (null = no target or not measurable). */
function verdict(pass) {
  if (pass === true) return 'PASS';
  if (pass === false) return 'FAIL';
  return '';
}

/** Renders a Markdown table; cells are escaped for pipes. */
function markdownTable(headers, rows) {
  const esc = (cell) => String(cell).replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [`| ${headers.map(esc).join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`];
  for (const row of rows) lines.push(`| ${row.map(esc).join(' | ')} |`);
  return lines.join('\n');
}

/** The median of a list of numbers (null when empty). */
function median(values) {
  const sorted = values.filter((v) => typeof v === 'number' && !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The reasons behind every unavailable or failed row, one bullet per distinct server + reason, so tables stay narrow
 * and the reason is still printed in full (multi-line output folded to one line, capped at 600 characters).
 */
function problemNotes(rows) {
  const seen = new Set();
  const notes = [];
  for (const row of rows) {
    if (row.status === 'ok' || !row.reason) continue;
    const reason = row.reason.replace(/\s*\n\s*/g, ' / ').slice(0, 600);
    const key = `${row.server}\0${row.status}\0${reason}`;
    if (seen.has(key)) continue;
    seen.add(key);
    notes.push(`- ${row.server} ${row.status}: ${reason}`);
  }
  return notes.length > 0 ? `\n\n${notes.join('\n')}` : '';
}

module.exports = { num, ratio, bytes, verdict, markdownTable, median, problemNotes };
