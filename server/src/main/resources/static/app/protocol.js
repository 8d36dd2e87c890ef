/**
 * The token's side of Kagi's activation exchange (docs/activation-protocol.md): SRP-6a
 * (RFC 2945, RFC 5054) over the RFC 5054 Appendix A 2048-bit group with SHA-256, then the TOTP
 * seed by HKDF-SHA256 (RFC 5869). The seed is derived straight into a WebCrypto HMAC key, so it
 * never exists as bytes in script (tests may ask for an extractable key to compare with vectors).
 *
 * Byte strings are big-endian; PAD(x) is x left-padded with zeros to the 256 bytes of N; | is
 * concatenation; H is SHA-256. Runs in browsers and in Node 20 (globalThis.crypto.subtle).
 */

const subtle = globalThis.crypto.subtle;

/** The label of the seed derivation (unchanged since version 1). */
export const PROTOCOL = 'kagi-activation-1';
/** The protocol this token speaks: version 2 authenticates the finish answer and status answers. */
export const PROTOCOL_V2 = 'kagi-activation-2';
/** Activation refuses a clock further than this from the authority's (5 minutes). */
export const MAX_CLOCK_OFFSET_MILLIS = 300_000;
/** A status answer slower than this is not used to measure the clock. */
export const MAX_STATUS_ROUND_TRIP_MILLIS = 10_000;

/** The RFC 5054 2048-bit prime N and its generator g. */
export const N = BigInt('0x'
  + 'ac6bdb41324a9a9bf166de5e1389582faf72b6651987ee07fc3192943db56050a37329cbb4a099ed8193e07'
  + '57767a13dd52312ab4b03310dcd7f48a9da04fd50e8083969edb767b0cf6095179a163ab3661a05fbd5faaa'
  + 'e82918a9962f0b93b855f97993ec975eeaa80d740adbf4ff747359d041d5c33ea71d281e446b14773bca97b'
  + '43a23fb801676bd207a436c6481f1d2b9078717461a5b9d32e688f87748544523b524b0d57d5ea77a2775d2'
  + 'ecfa032cfbdbf52fb3786160279004e57ae6af874e7303ce53299ccc041c7bc308d82a5698f3a8d0c38271a'
  + 'e35f8e9dbfbb694b5c803d89f7ae435de236d525f54759b65e372fcd68ef20fa7111f9e4aff73');
export const G = 2n;
/** Length of N in bytes: the length of every padded value on the wire. */
export const LENGTH = 256;
/** Length of the private value a, in bytes. */
export const RANDOM_BYTES = 32;

const SERVICE_ID = /^[0-9]{8}$/;
const USER_ID = /^[0-9]{6}$/;
const PASSWORD = /^[0-9]{4,8}$/;

/** A message of the exchange that is malformed or that the protocol must refuse. */
export class ActivationProtocolError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ActivationProtocolError';
  }
}

/** The SRP identity I: "<サービスID>:<ユーザID>". */
export function identity(serviceId, userId) {
  if (!SERVICE_ID.test(serviceId) || !USER_ID.test(userId)) {
    throw new RangeError('A サービスID is 8 digits and a ユーザID 6 digits');
  }
  return `${serviceId}:${userId}`;
}

/** TOTP parameters: algorithm SHA1|SHA256|SHA512, 6 to 8 digits, a period of 1 to 600 seconds. */
export function tokenParameters(algorithm, digits, period) {
  if (!/^(SHA1|SHA256|SHA512)$/.test(algorithm)) {
    throw new RangeError('The algorithm is SHA1, SHA256 or SHA512');
  }
  if (!Number.isInteger(digits) || digits < 6 || digits > 8) {
    throw new RangeError('A code has 6 to 8 digits');
  }
  if (!Number.isInteger(period) || period < 1 || period > 600) {
    throw new RangeError('The period is 1 to 600 seconds');
  }
  return Object.freeze({ algorithm, digits, period });
}

/** "<algorithm>:<digits>:<period>", bound into the seed derivation. */
export function canonical(parameters) {
  return `${parameters.algorithm}:${parameters.digits}:${parameters.period}`;
}

/** The seed length: the hash's output, 20, 32 or 64 bytes. */
export function seedBytes(parameters) {
  return { SHA1: 20, SHA256: 32, SHA512: 64 }[parameters.algorithm];
}

/** The WebCrypto name of a TOTP algorithm's hash. */
export function webCryptoHash(algorithm) {
  return { SHA1: 'SHA-1', SHA256: 'SHA-256', SHA512: 'SHA-512' }[algorithm];
}

export function ascii(text) {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) {
      throw new RangeError('Not ASCII');
    }
    bytes[i] = c;
  }
  return bytes;
}

export function concat(...parts) {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export async function hash(...parts) {
  return new Uint8Array(await subtle.digest('SHA-256', concat(...parts)));
}

export function toHex(bytes) {
  let hex = '';
  for (const b of bytes) {
    hex += b.toString(16).padStart(2, '0');
  }
  return hex;
}

export function fromHex(hex) {
  if (typeof hex !== 'string' || hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw new ActivationProtocolError('Not hexadecimal');
  }
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) {
    bytes[i] = parseInt(hex.substr(2 * i, 2), 16);
  }
  return bytes;
}

/** LP(t1) | LP(t2) | …: each text's UTF-8 bytes preceded by their length as 4 big-endian bytes. */
export function fields(...texts) {
  const encoder = new TextEncoder();
  return concat(...texts.flatMap((text) => {
    const bytes = encoder.encode(String(text));
    const length = new Uint8Array(4);
    new DataView(length.buffer).setUint32(0, bytes.length);
    return [length, bytes];
  }));
}

/** What the finish answer's MAC covers. */
export function finishMessage(serviceId, userId, serviceName, parameters, serverTime) {
  return fields(`${PROTOCOL_V2}/finish`, serviceId, userId, serviceName, canonical(parameters), serverTime);
}

/** What a status request's proof covers. */
export function statusRequest(serviceId, userId, nonce) {
  return fields(`${PROTOCOL_V2}/status-request`, serviceId, userId, nonce);
}

/** What a status answer's MAC covers. */
export function statusAnswer(serviceId, userId, nonce, state, serverTime) {
  return fields(`${PROTOCOL_V2}/status-answer`, serviceId, userId, nonce, state, serverTime);
}

/** HMAC-SHA256 of a message under a CryptoKey, hex. */
export async function mac(key, message) {
  return toHex(new Uint8Array(await subtle.sign('HMAC', key, message)));
}

/** Whether macHex is the HMAC of the message under the key (WebCrypto's verify). */
export async function verifies(key, message, macHex) {
  let received;
  try {
    received = fromHex(macHex);
  } catch (e) {
    return false;
  }
  return subtle.verify('HMAC', key, received, message);
}

/** The unsigned big-endian integer of bytes. */
export function unsigned(bytes) {
  return bytes.length === 0 ? 0n : BigInt('0x' + toHex(bytes));
}

/** PAD(x): big-endian, left-padded with zeros to 256 bytes; x is a group element or N itself. */
export function pad(value) {
  if (value < 0n || value > N) {
    throw new RangeError('A group element lies in [0, N)');
  }
  return fromHex(value.toString(16).padStart(2 * LENGTH, '0'));
}

/** base^exponent mod modulus by square-and-multiply, most significant bit first. */
export function modPow(base, exponent, modulus) {
  if (modulus === 1n) {
    return 0n;
  }
  let result = 1n;
  let b = ((base % modulus) + modulus) % modulus;
  const bits = exponent.toString(2);
  for (let i = 0; i < bits.length; i++) {
    result = (result * result) % modulus;
    if (bits[i] === '1') {
      result = (result * b) % modulus;
    }
  }
  return result;
}

/** x = H(s | H(I | ":" | P)) (RFC 5054 §2.6). */
export async function computeX(id, password, salt) {
  if (!PASSWORD.test(password)) {
    throw new RangeError('An activation password has 4 to 8 digits');
  }
  const inner = await hash(ascii(id), ascii(':'), ascii(password));
  return unsigned(await hash(salt, inner));
}

/** k = H(N | PAD(g)) (RFC 5054 §2.5.3). */
export async function computeK() {
  return unsigned(await hash(pad(N), pad(G)));
}

/** u = H(PAD(A) | PAD(B)). */
export async function computeU(clientPublic, serverPublic) {
  return unsigned(await hash(pad(clientPublic), pad(serverPublic)));
}

/** Reads A or B from its wire form (512 hex digits) and refuses 0 mod N or a value not below N. */
export function publicValue(hex) {
  if (typeof hex !== 'string' || hex.length !== 2 * LENGTH) {
    throw new ActivationProtocolError('A public value is 512 hexadecimal digits');
  }
  const value = unsigned(fromHex(hex));
  if (value === 0n || value >= N) {
    throw new ActivationProtocolError('A public value must lie in (0, N)');
  }
  return value;
}

function randomPrivateValue() {
  const bytes = new Uint8Array(RANDOM_BYTES);
  let value;
  do {
    globalThis.crypto.getRandomValues(bytes);
    value = unsigned(bytes);
  } while (value === 0n);
  return value;
}

function equalInConstantTime(a, b) {
  if (a.length !== b.length) {
    return false;
  }
  let difference = 0;
  for (let i = 0; i < a.length; i++) {
    difference |= a[i] ^ b[i];
  }
  return difference === 0;
}

/**
 * One activation exchange on the token's side: A, then M1 from the server's salt and B, then
 * the check of the server's M2, then the seed as a WebCrypto HMAC key.
 */
export class SrpClient {

  /**
   * @param {string} serviceId 8 digits
   * @param {string} userId 6 digits
   * @param {string} password the 利用開始パスワード, 4 to 8 digits
   * @param {Uint8Array} [privateValue] a, only for the published test vectors
   */
  constructor(serviceId, userId, password, privateValue) {
    if (!PASSWORD.test(password)) {
      throw new RangeError('An activation password has 4 to 8 digits');
    }
    this.identity = identity(serviceId, userId);
    this.password = password;
    this.a = privateValue ? unsigned(privateValue) : randomPrivateValue();
    this.clientPublic = modPow(G, this.a, N);
    this.sessionKey = null;
    this.serverConfirmed = false;
  }

  /** A in its wire form, hex(PAD(A)), lowercase. */
  clientPublicHex() {
    return toHex(pad(this.clientPublic));
  }

  /** Computes the session key from the server's salt and B; returns M1 in hex. Forgets the password. */
  async respond(saltHex, serverPublicHex) {
    if (this.sessionKey) {
      throw new Error('This exchange was already answered');
    }
    const salt = fromHex(saltHex);
    if (salt.length < 16 || salt.length > 64) {
      throw new ActivationProtocolError('The salt has 16 to 64 bytes');
    }
    const b = publicValue(serverPublicHex);
    const u = await computeU(this.clientPublic, b);
    if (u === 0n) {
      throw new ActivationProtocolError('u is 0');
    }
    const x = await computeX(this.identity, this.password, salt);
    this.password = null;
    const k = await computeK();
    const base = (((b - k * modPow(G, x, N)) % N) + N) % N;
    const premaster = modPow(base, this.a + u * x, N);
    this.salt = salt;
    this.serverPublic = b;
    this.sessionKey = await hash(pad(premaster));
    const hashN = await hash(pad(N));
    const hashG = await hash(pad(G));
    const xor = hashN.map((byte, i) => byte ^ hashG[i]);
    this.clientProof = await hash(xor, await hash(ascii(this.identity)), salt,
      pad(this.clientPublic), pad(b), this.sessionKey);
    return toHex(this.clientProof);
  }

  /** Whether the server's M2 = H(PAD(A) | M1 | K) (hex) proves it knows the verifier. */
  async confirmsServer(serverProofHex) {
    if (!this.sessionKey) {
      throw new Error('Answer the server first');
    }
    let received;
    try {
      received = fromHex(serverProofHex);
    } catch (e) {
      return false;
    }
    const expected = await hash(pad(this.clientPublic), this.clientProof, this.sessionKey);
    this.serverConfirmed = equalInConstantTime(received, expected);
    return this.serverConfirmed;
  }

  /**
   * A version-2 key derived from K beside the seed, as an HMAC-SHA256 CryptoKey:
   * HKDF-SHA256(IKM = K, salt = H(H(I) | s | PAD(A) | PAD(B)), info = "kagi-activation-2|<purpose>|" + I).
   * purpose is 'finish' or 'status'. Not extractable unless asked.
   */
  async derivedKey(purpose, extractable = false) {
    if (!this.serverConfirmed) {
      throw new Error('The server has not proved itself');
    }
    const transcript = await hash(await hash(ascii(this.identity)), this.salt,
      pad(this.clientPublic), pad(this.serverPublic));
    const ikm = await subtle.importKey('raw', this.sessionKey, 'HKDF', false, ['deriveKey']);
    return subtle.deriveKey(
      { name: 'HKDF', hash: 'SHA-256', salt: transcript, info: ascii(`${PROTOCOL_V2}|${purpose}|${this.identity}`) },
      ikm,
      { name: 'HMAC', hash: 'SHA-256', length: 256 },
      extractable,
      ['sign', 'verify']);
  }

  /** Whether the finish answer's MAC (hex) covers exactly these members. */
  async verifiesFinishAnswer(serviceId, userId, serviceName, parameters, serverTime, macHex) {
    const key = await this.derivedKey('finish');
    return verifies(key, finishMessage(serviceId, userId, serviceName, parameters, serverTime), macHex);
  }

  /**
   * The TOTP seed as an HMAC key for these parameters, only after the server proved itself:
   * HKDF-SHA256(IKM = K, salt = H(H(I) | s | PAD(A) | PAD(B)),
   *             info = ASCII("kagi-activation-1|" + I + "|" + canonical parameters)).
   * Not extractable unless asked (tests compare it with the vectors).
   */
  async seedKey(parameters, extractable = false) {
    if (!this.serverConfirmed) {
      throw new Error('The server has not proved itself');
    }
    const transcript = await hash(await hash(ascii(this.identity)), this.salt,
      pad(this.clientPublic), pad(this.serverPublic));
    const info = ascii(`${PROTOCOL}|${this.identity}|${canonical(parameters)}`);
    const ikm = await subtle.importKey('raw', this.sessionKey, 'HKDF', false, ['deriveKey']);
    return subtle.deriveKey(
      { name: 'HKDF', hash: 'SHA-256', salt: transcript, info },
      ikm,
      { name: 'HMAC', hash: webCryptoHash(parameters.algorithm), length: 8 * seedBytes(parameters) },
      extractable,
      ['sign']);
  }
}
