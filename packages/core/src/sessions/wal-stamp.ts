import { closeSync, openSync, readSync } from 'node:fs';
import { endianness } from 'node:os';

// The WAL-index header at the start of `<db>-shm` (https://www.sqlite.org/walformat.html, "The WAL-Index Header"):
// two copies of 48 bytes in native byte order. Every committed transaction, from any process, rewrites it (iChange
// counts commits, mxFrame and the salts move); a checkpoint does not touch it.
const HEADER_BYTES = 96;
const WAL_INDEX_VERSION = 3007000;
const IS_INIT = 12;

/**
 * A cheap "has anyone committed to this SQLite file since I last looked?" for a database in WAL mode: one read of
 * the WAL-index header instead of a read transaction (which costs two file locks). Used by the SQLite session store
 * to keep verified reads in memory without missing a logout or a change made by another worker process.
 */
export class WalStamp {
  private last = Buffer.alloc(HEADER_BYTES);
  private next = Buffer.alloc(HEADER_BYTES);
  private known = false;
  private readonly littleEndian = endianness() === 'LE';
  /** Whether the header was read in this event-loop turn (see `unchangedThisTurn`). */
  private lookedThisTurn = false;
  private readonly endTurn = (): void => {
    this.lookedThisTurn = false;
  };

  private constructor(private fd: number | undefined) {}

  /** The stamp of `dbFile` (open, in WAL mode), or undefined when its `-shm` file cannot be read (then cache nothing). */
  static open(dbFile: string): WalStamp | undefined {
    let fd: number;
    try {
      fd = openSync(`${dbFile}-shm`, 'r');
    } catch {
      return undefined;
    }
    const stamp = new WalStamp(fd);
    if (!stamp.read(stamp.next)) {
      stamp.close();
      return undefined;
    }
    return stamp;
  }

  /**
   * True when no transaction was committed since the previous call (which then also returned a stamp); false on the
   * first call, after any commit, and whenever the header cannot be read or is not of the known format — callers
   * then drop what they cached and read the database, which is always correct.
   */
  unchanged(): boolean {
    if (!this.read(this.next)) {
      this.known = false;
      return false;
    }
    if (this.known && this.next.equals(this.last)) return true;
    [this.last, this.next] = [this.next, this.last];
    this.known = true;
    return false;
  }

  /**
   * `unchanged()`, read at most once per event-loop turn: the first call of a turn reads the header, the later ones
   * answer true (nothing new since that look). The requests a turn serves run together, so a commit another process
   * makes while they run is seen by the next turn's, as if it had landed just after them; this process's own writes
   * drop their entries from the caller's cache themselves. Under load this turns a read() system call per request
   * into one per turn.
   */
  unchangedThisTurn(): boolean {
    if (this.lookedThisTurn) return true;
    this.lookedThisTurn = true;
    setImmediate(this.endTurn);
    return this.unchanged();
  }

  /** Release the file. */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.known = false;
  }

  private read(into: Buffer): boolean {
    if (this.fd === undefined) return false;
    let bytes: number;
    try {
      bytes = readSync(this.fd, into, 0, HEADER_BYTES, 0);
    } catch {
      return false;
    }
    if (bytes !== HEADER_BYTES || into[IS_INIT] !== 1) return false;
    const version = this.littleEndian ? into.readUInt32LE(0) : into.readUInt32BE(0);
    return version === WAL_INDEX_VERSION;
  }
}
