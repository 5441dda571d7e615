'use strict';
/** The ASCII payload every echo client sends: valid UTF-8 text, so servers can treat it as a text frame. */

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A Buffer of `size` ASCII bytes. */
function makePayload(size) {
  const out = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i += 1) out[i] = ALPHABET.charCodeAt(i % ALPHABET.length);
  return out;
}

module.exports = { makePayload };
