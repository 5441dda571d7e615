'use strict';
/**
 * Turns a run into Markdown and JSON: each run is kept as scripts/bench/results/<date>.md (committed: the history)
 * and <date>.json (raw figures, local), and replaces the "Latest run" section at the end of docs/benchmarks.md.
 */

const fs = require('node:fs');
const path = require('node:path');
const { machineLine } = require('./machine');
const { markdownTable, verdict } = require('./table');
const { DOCS_FILE, RESULTS_DIR } = require('./paths');

const SECTION_NUMBERS = { ws: 1, idle: 2, http: 3, startup: 4, rooms: 5, history: 6, auth: 7 };

function modeLabel(opts) {
  const parts = [];
  if (opts.quick) parts.push('quick');
  if (opts.max) parts.push('max');
  if (opts.peers) parts.push('peers');
  if (opts.controls) parts.push('controls');
  if (opts.semiSpaces && opts.semiSpaces.length > 0) parts.push(`semi-space ${opts.semiSpaces.join(',')}`);
  if (opts.sections.length < Object.keys(SECTION_NUMBERS).length) parts.push(`only ${opts.sections.join(',')}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

const NOISY_PERCENT = 20;

/** The highest user CPU of outside processes seen in any measured window of the run, or null. */
function outsideLoad(run) {
  let max = null;
  for (const section of run.sections) {
    for (const row of section.rows) {
      for (const round of row.rounds || []) {
        if (typeof round.othersCpuPercent === 'number') max = Math.max(max ?? 0, round.othersCpuPercent);
      }
    }
  }
  return max;
}

/** The Markdown of one run: machine line, targets summary, then one table per section. */
function renderRun(run) {
  const stamp = run.startedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  const lines = [`## Run ${stamp}${modeLabel(run.options)}`, '', `Machine: ${machineLine(run.machine)}.`, ''];
  const noise = outsideLoad(run);
  if (noise !== null && noise > NOISY_PERCENT) {
    lines.push(`**Noisy run:** other processes used up to ${Math.round(noise)} % of a core during measured windows (see the "others CPU %" columns); compare ratios only between rows with low "others".`, '');
  }
  const targetRows = [];
  for (const section of run.sections) {
    for (const t of section.targets) targetRows.push([t.figure, t.target, t.measured, verdict(t.pass)]);
  }
  lines.push('### Targets', '', markdownTable(['figure', 'target', 'measured (this run)', 'verdict'], targetRows), '');
  if (run.sweep) lines.push('### Young generation sizes', '', run.sweep, '');
  for (const section of run.sections) {
    lines.push(`### ${SECTION_NUMBERS[section.id]}. ${section.title}`, '', section.markdown, '');
  }
  return lines.join('\n');
}

const LATEST_HEADING = '## Latest run';

/**
 * Writes the run to scripts/bench/results/<date>.md and .json, and makes it the "Latest run" section of
 * docs/benchmarks.md (everything from that heading to the end of the file is replaced); returns the three paths.
 */
function writeResults(run, markdown) {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const stem = path.join(RESULTS_DIR, run.startedAt.replace(/[:.]/g, '-'));
  fs.writeFileSync(`${stem}.json`, `${JSON.stringify(run, null, 2)}\n`);
  fs.writeFileSync(`${stem}.md`, `${markdown.trim()}\n`);
  const existing = fs.existsSync(DOCS_FILE) ? fs.readFileSync(DOCS_FILE, 'utf8') : '# Benchmarks\n';
  const at = existing.indexOf(`\n${LATEST_HEADING}\n`);
  // Trailing blank lines are dropped, so repeated runs do not pile them up before the heading.
  const head = (at === -1 ? existing : existing.slice(0, at + 1)).replace(/\n*$/, '\n');
  // One level down, so the run's own "## Run …" heading and its sections nest under "Latest run".
  const body = markdown.trim().replace(/^(#+) /gm, '#$1 ');
  const source = `From \`scripts/bench/results/${path.basename(stem)}.md\` (every run is kept there).`;
  fs.writeFileSync(DOCS_FILE, `${head}\n${LATEST_HEADING}\n\n${source}\n\n${body}\n`);
  return { docs: DOCS_FILE, markdown: `${stem}.md`, json: `${stem}.json` };
}

module.exports = { renderRun, writeResults };
