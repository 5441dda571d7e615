'use strict';
/** The printed result of a load run: a short text report (also valid Markdown), or the raw object with --json. */

const fmt = (n, digits = 0) => (n === null || n === undefined || Number.isNaN(n) ? 'n/a' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));

/** The text report of `result` (from runLoad), with `target` describing the server. */
function formatReport(result, target) {
  const r = result;
  const lines = [
    `room_chat load: ${r.users} users in ${r.rooms} rooms (${fmt(r.users / r.rooms, 1)} per room), ${r.ratePerUser} msg/s each, ${fmt(r.window.seconds, 1)} s window`,
    `server: ${target}`,
    '',
    '| figure | value |',
    '| --- | --- |',
    `| messages sent | ${fmt(r.window.sent)} (${fmt(r.window.sentPerSecond, 1)}/s) |`,
    `| deliveries in the window | ${fmt(r.window.deliveredInWindow)} (${fmt(r.window.deliveredPerSecond, 1)}/s) |`,
    `| deliveries expected / delivered | ${fmt(r.deliveries.expected)} / ${fmt(r.deliveries.delivered)} (drain ${fmt(r.deliveries.drainSeconds, 1)} s) |`,
    `| delivery latency p50 / p99 / max | ${fmt(r.latencyMs.p50, 2)} / ${fmt(r.latencyMs.p99, 2)} / ${fmt(r.latencyMs.max, 1)} ms |`,
    `| lost / duplicated | ${fmt(r.lost)} / ${fmt(r.duplicated)} (receivers affected: ${r.receiversWithLoss} / ${r.receiversWithDuplicates}) |`,
    `| error frames / unexpected closes / reconnects | ${fmt(Object.values(r.errorFrames.byCode).reduce((a, b) => a + b, 0))} / ${r.unexpectedCloses.count} / ${r.reconnects} |`,
    `| sign-ups (before the window) | ${r.users} in ${fmt(r.signup.seconds, 1)} s (${fmt(r.signup.perSecond, 1)}/s); joins ${fmt(r.connectSeconds, 1)} s |`,
    `| load generator: CPU, event-loop delay p50 / p99 | ${fmt(r.loadCpuPercentOfOneCore)} % of one core, ${fmt(r.loadEventLoopDelayMs.p50, 1)} / ${fmt(r.loadEventLoopDelayMs.p99, 1)} ms |`,
    `| machine load average (1 min) at the window's end | ${fmt(r.loadAverage1m, 1)} on ${r.cores} cores |`,
  ];
  if (r.serverCpu !== null) {
    lines.push(`| server CPU in the window | ${fmt(r.serverCpu.seconds, 1)} s (${fmt(r.serverCpu.percentOfOneCore)} % of one core), ${fmt(r.serverCpu.usPerDelivery, 1)} µs per delivery |`);
  }
  const problems = Object.entries(r.problems).filter(([, n]) => n > 0).map(([kind, n]) => `${kind} ${n}`);
  lines.push('');
  if (r.ok) lines.push('OK: every receiver got every message of its room exactly once.');
  else {
    lines.push('FAILED: not every receiver got every message of its room exactly once.');
    for (const w of r.worstReceivers) lines.push(`  ${w.name}: lost ${w.lost}, duplicated ${w.duplicated}`);
    if (problems.length > 0) lines.push(`  other problems: ${problems.join(', ')}`);
    for (const text of [...r.problemExamples, ...r.errorFrames.examples, ...r.unexpectedCloses.examples]) lines.push(`  ${text}`);
    if (r.window.sent === 0) lines.push('  no message was sent');
  }
  return lines.join('\n');
}

module.exports = { formatReport };
