/**
 * TOTP (RFC 6238) over a WebCrypto HMAC key: the code of the step floor(time / period), by
 * HOTP's dynamic truncation (RFC 4226 §5.3). Runs in browsers and in Node 20.
 */

const subtle = globalThis.crypto.subtle;

/** The time step of a Unix time in milliseconds. */
export function stepAt(timeMillis, period) {
  return Math.floor(timeMillis / 1000 / period);
}

/** Seconds left until the step after the one at timeMillis begins (period .. 1). */
export function secondsLeft(timeMillis, period) {
  const elapsed = Math.floor(timeMillis / 1000) % period;
  return period - elapsed;
}

/** The HOTP value of a counter: a string of exactly `digits` digits. */
export async function hotp(key, counter, digits) {
  const message = new Uint8Array(8);
  let value = BigInt(counter);
  for (let i = 7; i >= 0; i--) {
    message[i] = Number(value & 0xffn);
    value >>= 8n;
  }
  const mac = new Uint8Array(await subtle.sign('HMAC', key, message));
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The TOTP code at a Unix time in milliseconds. */
export async function totp(key, parameters, timeMillis) {
  return hotp(key, stepAt(timeMillis, parameters.period), parameters.digits);
}
