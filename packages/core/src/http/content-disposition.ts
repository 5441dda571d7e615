import { basename } from 'node:path';

// RFC 5987 attr-char: what may stay unencoded in `filename*`.
const ATTR_CHAR = /[A-Za-z0-9!#$&+\-.^_`|~]/;
// What may appear in the quoted `filename` fallback: printable ASCII without `"` and `\`.
const SAFE_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * `Content-Disposition` for a download named `filename` (its last path segment only), per RFC 6266: a plain quoted
 * `filename` when the name is printable ASCII, else an ASCII fallback plus `filename*=UTF-8''…` (RFC 5987), so names
 * like `报告.pdf` or ones holding U+202E survive and never put a character Node refuses into the header.
 * @example contentDisposition('报告.pdf') // `attachment; filename="__.pdf"; filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf`
 */
export function contentDisposition(filename: string, type: 'attachment' | 'inline' = 'attachment'): string {
  const name = basename(filename.replace(/\\/g, '/')).replace(/"/g, '');
  if (SAFE_ASCII.test(name)) return `${type}; filename="${name}"`;
  const fallback = name.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/gu, '_');
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encodeRfc5987(name)}`;
}

function encodeRfc5987(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && ATTR_CHAR.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
