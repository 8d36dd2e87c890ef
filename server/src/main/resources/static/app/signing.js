/**
 * 取引認証 on the phone (docs/transaction-signing.md): the canonical texts, the OCRA signature
 * (RFC 6287: suite | 0x00 | Q padded to 128 bytes | T as 8 bytes) under the token's own seed key
 * (the non-extractable WebCrypto HMAC key of store.js: it signs, nobody reads it), and the two calls
 * to the authority under the token's status key: its pending requests, and its answer to one.
 *
 * Outcomes of answer(): { ok: true, state } or { ok: false, reason } with reason one of
 * 'wrong-signature', 'token-locked', 'gone', 'token-not-found', 'offline', 'server'.
 */

import { fields, mac, toHex, fromHex } from './protocol.js';

const subtle = globalThis.crypto.subtle;
const BASE = new URL('../api/v1/activation/signing/', import.meta.url);

export const TWO_CHANNEL = 'kagi-transaction-1';
export const OFFLINE = 'kagi-offline-1';
/** The fields of a two-channel text, in their order. */
export const FIELD_ORDER = ['purpose', 'bank', 'branch', 'type', 'account', 'name', 'amount'];
export const DIGITS = 8;
export const STEP_MILLIS = 60_000;

function line(name, value) {
  const text = value == null ? '' : String(value);
  if (/[\r\n]/.test(text)) {
    throw new Error(`A field of a canonical text may hold no line break (${name})`);
  }
  return `${name}:${text}`;
}

/** The two-channel canonical text of a request: its reference and the fields the phone shows. */
export function twoChannelText(reference, shown) {
  return [TWO_CHANNEL, line('request', reference), ...FIELD_ORDER.map((name) => line(name, shown[name]))].join('\n');
}

/** The offline canonical text of what the user typed: account number and amount (digits; amount may be empty). */
export function offlineText(account, amount) {
  if (!/^[0-9]{1,20}$/.test(account)) {
    throw new Error('The account number must be 1 to 20 digits');
  }
  if (amount != null && amount !== '' && !/^[0-9]{1,20}$/.test(amount)) {
    throw new Error('The amount must be 1 to 20 digits');
  }
  return [OFFLINE, line('account', account), line('amount', amount ?? '')].join('\n');
}

/** Q: the lower-case hex SHA-256 of the canonical text's UTF-8 bytes. */
export async function question(canonical) {
  return toHex(new Uint8Array(await subtle.digest('SHA-256', new TextEncoder().encode(canonical))));
}

/** The suite of a token whose HMAC is `algorithm` (SHA1, SHA256, SHA512). */
export function suite(algorithm) {
  return `OCRA-1:HOTP-${algorithm}-${DIGITS}:QH64-T1M`;
}

/** OCRA(key, suite, Q, T) with T the 1-minute step of timeMillis: `DIGITS` digits. */
export async function ocra(key, suiteText, questionHex, timeMillis) {
  const suiteBytes = new TextEncoder().encode(suiteText);
  const message = new Uint8Array(suiteBytes.length + 1 + 128 + 8);
  message.set(suiteBytes, 0);
  message.set(fromHex(questionHex), suiteBytes.length + 1);
  let step = BigInt(Math.floor(timeMillis / STEP_MILLIS));
  for (let i = message.length - 1; i >= message.length - 8; i--) {
    message[i] = Number(step & 0xffn);
    step >>= 8n;
  }
  const hmac = new Uint8Array(await subtle.sign('HMAC', key, message));
  const offset = hmac[hmac.length - 1] & 0x0f;
  const binary = ((hmac[offset] & 0x7f) << 24) | (hmac[offset + 1] << 16) | (hmac[offset + 2] << 8) | hmac[offset + 3];
  return String(binary % 10 ** DIGITS).padStart(DIGITS, '0');
}

/** トランザクション認証: the code for a typed account number and amount. */
export async function offlineCode(token, account, amount, timeMillis) {
  return ocra(token.key, suite(token.algorithm), await question(offlineText(account, amount)), timeMillis);
}

/** 二経路認証: the signature of a request as the phone shows it. */
export async function approvalSignature(token, request, timeMillis) {
  return ocra(token.key, suite(token.algorithm), await question(twoChannelText(request.reference, request.fields)), timeMillis);
}

async function post(path, body, fetchFunction) {
  let response;
  try {
    response = await fetchFunction(new URL(path, BASE), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json, application/problem+json' },
      body: JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (e) {
    return { problem: 'offline' };
  }
  let json = null;
  try {
    json = await response.json();
  } catch (e) {
    json = null;
  }
  if (response.ok && json) {
    return { json };
  }
  return { problem: json?.code ?? 'server' };
}

function nonce() {
  return toHex(globalThis.crypto.getRandomValues(new Uint8Array(16)));
}

/**
 * The token's pending requests (newest first), each { reference, fields, canonicalText, suite,
 * expiresAt }, keeping only those whose text is the one the phone makes from the fields it shows;
 * null when the token has no status key, or offline, or the authority does not know it.
 */
export async function fetchPending(token, { fetchFunction = globalThis.fetch.bind(globalThis) } = {}) {
  if (!token.statusKey) {
    return null;
  }
  const n = nonce();
  const proof = await mac(token.statusKey, fields('kagi-signing-1/pending', token.serviceId, token.userId, n));
  const answered = await post('pending', { serviceId: token.serviceId, userId: token.userId, nonce: n, proof }, fetchFunction);
  if (answered.problem || !Array.isArray(answered.json.requests)) {
    return null;
  }
  return answered.json.requests.filter((request) => typeof request.reference === 'string' && request.fields
    && twoChannelText(request.reference, request.fields) === request.canonicalText);
}

/** Sends 承認 ('approve', with the signature of what the phone showed) or 否認 ('deny'). */
export async function answer(token, request, decision, timeMillis, { fetchFunction = globalThis.fetch.bind(globalThis) } = {}) {
  const response = decision === 'approve' ? await approvalSignature(token, request, timeMillis) : '';
  const n = nonce();
  const proof = await mac(token.statusKey, fields('kagi-signing-1/answer', token.serviceId, token.userId,
    request.reference, decision, response, n));
  const answered = await post('answer', {
    serviceId: token.serviceId, userId: token.userId, reference: request.reference, decision, response, nonce: n, proof,
  }, fetchFunction);
  if (!answered.problem) {
    return { ok: true, state: answered.json.state };
  }
  const reason = answered.problem.startsWith('signing-') ? 'gone' : answered.problem;
  return { ok: false, reason };
}
