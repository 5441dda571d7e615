'use strict';
/**
 * Counts every delivered message per receiver. Each message a simulated user sends carries `<user>#<seq> <ts>` as
 * its text, so a receiver can tell exactly which message of which sender it got: a count per (receiver, sender,
 * seq) gives lost (never arrived) and duplicated (arrived twice) messages, and the timestamp gives the delivery
 * latency. Memory is one byte per expected delivery (1 000 users, 50 rooms, 60 s at 1/s: 1.2 MB).
 */

const { LatencyHistogram } = require('../bench/lib/histogram');

const TEXT = /^(\S+)#(\d+) (\d+(?:\.\d+)?)$/;

class Tally {
  /** `users`: `[{ name, room, slot }]` where `slot` is the user's index among its room's members. */
  constructor(users) {
    this.byName = new Map(users.map((u) => [u.name, u]));
    // counts[receiver][senderSlot] is a growable Uint8Array indexed by seq (1-based).
    this.counts = users.map((u) => Array.from({ length: u.roomSize }, () => new Uint8Array(64)));
    this.latency = new LatencyHistogram();
    this.unique = 0;
    this.duplicates = 0;
    this.inWindow = 0;
    this.windowEnd = Infinity;
    this.problems = { foreign: 0, misattributed: 0, malformed: 0, unexpected: 0 };
    this.examples = [];
  }

  /** Keeps the first few problem descriptions for the report. */
  note(kind, text) {
    this.problems[kind] += 1;
    if (this.examples.length < 10) this.examples.push(`${kind}: ${text}`);
  }

  /** Records one `{ kind: "message", user, text }` envelope received by `receiver` at `now` (ms, epoch-based). */
  message(receiver, data, now) {
    const match = typeof data.text === 'string' ? TEXT.exec(data.text) : null;
    if (match === null) return this.note('malformed', `${receiver.name} got text ${JSON.stringify(data.text).slice(0, 80)}`);
    const sender = this.byName.get(match[1]);
    if (sender === undefined || sender.room !== receiver.room) {
      return this.note('foreign', `${receiver.name} in ${receiver.room} got "${data.text}" from another room or run`);
    }
    if (data.user !== sender.name) return this.note('misattributed', `${receiver.name} got "${data.text}" labelled as from "${data.user}"`);
    const seq = Number(match[2]);
    const row = this.counts[receiver.index];
    let seen = row[sender.slot];
    if (seq >= seen.length) {
      const grown = new Uint8Array(Math.max(seq + 1, seen.length * 2));
      grown.set(seen);
      row[sender.slot] = grown;
      seen = grown;
    }
    if (seen[seq] < 255) seen[seq] += 1;
    if (seen[seq] > 1) {
      this.duplicates += 1;
      return undefined;
    }
    this.unique += 1;
    if (now <= this.windowEnd) this.inWindow += 1;
    this.latency.record(now - Number(match[3]));
    return undefined;
  }

  /**
   * Per-receiver totals against what was sent (`sentBy[userIndex]` = last seq sent): `{ lost, duplicated,
   * receiversWithLoss, receiversWithDuplicates, worst: [{ name, lost, duplicated }] }`.
   */
  summarize(users, sentBy) {
    let lost = 0;
    const rows = [];
    for (const receiver of users) {
      let rLost = 0;
      let rDup = 0;
      for (const sender of receiver.roomMembers) {
        const seen = this.counts[receiver.index][sender.slot];
        for (let seq = 1; seq <= sentBy[sender.index]; seq += 1) {
          const n = seq < seen.length ? seen[seq] : 0;
          if (n === 0) rLost += 1;
          else rDup += n - 1;
        }
        for (let seq = sentBy[sender.index] + 1; seq < seen.length; seq += 1) if (seen[seq] > 0) this.note('unexpected', `${receiver.name} got ${sender.name}#${seq}, which was never sent`);
      }
      lost += rLost;
      if (rLost > 0 || rDup > 0) rows.push({ name: receiver.name, lost: rLost, duplicated: rDup });
    }
    rows.sort((a, b) => b.lost + b.duplicated - (a.lost + a.duplicated));
    return {
      lost,
      duplicated: this.duplicates,
      receiversWithLoss: rows.filter((r) => r.lost > 0).length,
      receiversWithDuplicates: rows.filter((r) => r.duplicated > 0).length,
      worst: rows.slice(0, 5),
    };
  }
}

module.exports = { Tally };
