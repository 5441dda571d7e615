/** Bytes per chunk of pending log output; a line longer than that gets a chunk of its own size. */
const CHUNK_BYTES = 64 * 1024;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const ZERO = 0x30;
const DOT = 0x2e;
/** Integers below this are written with 32-bit arithmetic (see integer()). */
const SMALL_LIMIT = 1e9;
const SMALL_DIGITS = 9;
/** Constants up to this many bytes are copied by a loop, longer ones by TypedArray.prototype.set (see bytes()). */
const SHORT_BYTES = 8;

/**
 * Log output waiting to be written, as bytes. The request log serialises its JSON lines straight into it, ASCII byte
 * by byte, instead of concatenating a string that V8 must then flatten and encode again (that cost about 8 000 CPU
 * instructions per request line; this about a quarter). Other lines are appended as UTF-8. `take()` hands over what
 * is pending as one Buffer; the bytes taken are never written again, so a write still in flight keeps its data.
 */
export class LineBuffer {
  private chunk = Buffer.allocUnsafeSlow(CHUNK_BYTES);
  private start = 0;
  private end = 0;
  private lineStart = 0;

  /** Bytes written and not yet taken. */
  get pendingBytes(): number {
    return this.end - this.start;
  }

  /** Whether `bytes` more fit; when they do not, take() what is pending and call reserve(). */
  fits(bytes: number): boolean {
    return this.end + bytes <= this.chunk.length;
  }

  /** With nothing pending, make room for `bytes` (a new chunk when the current one is too full). */
  reserve(bytes: number): void {
    if (this.fits(bytes)) return;
    this.chunk = Buffer.allocUnsafeSlow(Math.max(CHUNK_BYTES, bytes));
    this.start = this.end = this.lineStart = 0;
  }

  /** Marks where the line being written starts (see lineText and dropLine). */
  beginLine(): void {
    this.lineStart = this.end;
  }

  /** The line written since beginLine(), as a string. */
  lineText(): string {
    return this.chunk.toString('utf8', this.lineStart, this.end);
  }

  /** Forgets the line written since beginLine() (it went to a sink instead). */
  dropLine(): void {
    this.end = this.lineStart;
  }

  /** Hands over the pending bytes (a view on the chunk, never written again). */
  take(): Buffer {
    const pending = this.chunk.subarray(this.start, this.end);
    this.start = this.end;
    return pending;
  }

  /** Appends bytes prepared in advance (the constant parts of a line). */
  bytes(data: Uint8Array): void {
    const chunk = this.chunk;
    let end = this.end;
    // A loop beats TypedArray.prototype.set's call overhead for the shortest constants of a line.
    if (data.length > SHORT_BYTES) {
      chunk.set(data, end);
      this.end = end + data.length;
      return;
    }
    for (let i = 0; i < data.length; i++) chunk[end++] = data[i] as number;
    this.end = end;
  }

  /** Appends one byte (an ASCII character's code). */
  byte(code: number): void {
    this.chunk[this.end++] = code;
  }

  /** Appends `text` as UTF-8 (room for 3 bytes per UTF-16 unit must have been checked). */
  text(text: string): void {
    this.end += this.chunk.write(text, this.end);
  }

  /** Appends `text` as a JSON string; needs room for 2 + 6 bytes per UTF-16 unit. */
  jsonString(text: string): void {
    const chunk = this.chunk;
    const at = this.end;
    chunk[at] = QUOTE;
    let end = at + 1;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      // Printable ASCII but the quote and the backslash is copied as is; anything else takes JSON.stringify's escaping.
      if (c < 0x20 || c > 0x7e || c === QUOTE || c === BACKSLASH) {
        this.end = at;
        this.text(JSON.stringify(text));
        return;
      }
      chunk[end++] = c;
    }
    chunk[end++] = QUOTE;
    this.end = end;
  }

  /** Appends a non-negative safe integer in decimal. */
  integer(value: number): void {
    if (value < SMALL_LIMIT) {
      this.small(value);
      return;
    }
    // Split so that each part is counted in 32-bit integers (a timestamp has 13 digits; dividing doubles costs more).
    const high = Math.floor(value / SMALL_LIMIT);
    this.integer(high);
    this.padded(value - high * SMALL_LIMIT, SMALL_DIGITS);
  }

  // A value below SMALL_LIMIT, in as many digits as it takes.
  private small(value: number): void {
    this.padded(value, digitCount(value));
  }

  // `value`'s last `digits` digits, with leading zeros.
  private padded(value: number, digits: number): void {
    putDigits(this.chunk, this.end, value, digits);
    this.end += digits;
  }

  /**
   * Appends a non-negative duration in milliseconds rounded to the microsecond, as JSON would print
   * `Math.round(ms * 1000) / 1000` (`12`, `0.5`, `3.25`, `0.125`).
   */
  milliseconds(ms: number): void {
    const micros = Math.round(ms * 1000);
    if (!(micros >= 0 && micros <= Number.MAX_SAFE_INTEGER)) {
      this.text(JSON.stringify(micros / 1000));
      return;
    }
    const whole = Math.floor(micros / 1000);
    this.integer(whole);
    let fraction = micros - whole * 1000;
    if (fraction === 0) return;
    const chunk = this.chunk;
    chunk[this.end++] = DOT;
    // Up to three digits, without trailing zeros: 0.5 → ".5", 0.125 → ".125".
    for (let scale = 100; fraction > 0; scale = (scale / 10) | 0) {
      const digit = (fraction / scale) | 0;
      chunk[this.end++] = ZERO + digit;
      fraction -= digit * scale;
    }
  }
}

/** "00", "01", … "99" as ASCII: numbers are written two digits per division. */
const DIGIT_PAIRS = Buffer.from(Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0')).join(''), 'latin1');

/** How many decimal digits a non-negative integer below SMALL_LIMIT has. */
function digitCount(value: number): number {
  if (value < 1e4) return value < 10 ? 1 : value < 100 ? 2 : value < 1000 ? 3 : 4;
  return value < 1e5 ? 5 : value < 1e6 ? 6 : value < 1e7 ? 7 : value < 1e8 ? 8 : 9;
}

/**
 * Writes the last `digits` digits of the non-negative integer `value` (below 2^31) into `target` at `at`, with leading
 * zeros.
 */
export function putDigits(target: Uint8Array, at: number, value: number, digits: number): void {
  let end = at + digits;
  let rest = value | 0;
  while (end - at >= 2) {
    const next = (rest / 100) | 0;
    const pair = (rest - next * 100) * 2;
    target[--end] = DIGIT_PAIRS[pair + 1] as number;
    target[--end] = DIGIT_PAIRS[pair] as number;
    rest = next;
  }
  if (end > at) target[at] = ZERO + (rest % 10);
}
