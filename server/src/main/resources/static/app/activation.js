/**
 * Activation over the authority's REST endpoints (docs/activation-protocol.md §4): start with A,
 * finish with M1, check M2, derive the seed into a non-extractable HMAC key, learn the clock
 * offset. Answers an outcome instead of throwing for everything a user can cause.
 *
 * Outcomes: { ok: true, token } or { ok: false, reason, attemptsLeft?, retryAfter?, offsetMillis? }
 * with reason one of 'wrong-activation-password', 'activation-voided', 'activation-expired',
 * 'already-activated', 'token-not-found', 'too-many-requests', 'invalid-request', 'offline',
 * 'server', 'server-proof', 'answer-altered' (the finish answer's MAC does not verify),
 * 'clock-off' (the phone's clock is further than MAX_CLOCK_OFFSET_MILLIS from the authority's;
 * `spent` tells whether the finish was sent), 'update-required'.
 *
 * status(token) asks the authority for its time and the token's state under the token's status
 * key (protocol version 2, §7) and answers { state, clockOffsetMillis } or null.
 */

import {
  SrpClient, tokenParameters, PROTOCOL_V2, MAX_CLOCK_OFFSET_MILLIS, MAX_STATUS_ROUND_TRIP_MILLIS, mac, verifies,
  statusRequest, statusAnswer, toHex,
} from './protocol.js';

const BASE = new URL('../api/v1/activation/', import.meta.url);

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
    return { problem: { reason: 'offline' } };
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
  const code = json?.code ?? (typeof json?.type === 'string' ? json.type.replace(/^urn:kagi:problem:/, '') : null);
  const known = ['wrong-activation-password', 'activation-voided', 'activation-expired', 'already-activated',
    'token-not-found', 'too-many-requests', 'invalid-request', 'activation-session-expired', 'update-required'];
  const reason = known.includes(code) ? code : (response.status === 429 ? 'too-many-requests' : 'server');
  return {
    problem: {
      reason,
      attemptsLeft: Number.isInteger(json?.attemptsLeft) ? json.attemptsLeft : undefined,
      retryAfter: response.headers.get('Retry-After') ?? undefined,
    },
  };
}

/** The authority's clock minus the phone's, taking the middle of the round trip; NaN when unreadable. */
function offset(serverTime, sentAt, receivedAt) {
  const server = typeof serverTime === 'string' ? Date.parse(serverTime) : NaN;
  return Math.round(server - (sentAt + receivedAt) / 2);
}

/**
 * Runs one exchange. `now` is the phone's clock in milliseconds (Date.now by default).
 * The token returned holds { serviceId, userId, serviceName, algorithm, digits, period,
 * clockOffsetMillis, clockCheckedAt, activatedAt, state, key, statusKey }.
 */
export async function activate(serviceId, userId, password, { fetchFunction = globalThis.fetch.bind(globalThis), now = () => Date.now() } = {}) {
  const client = new SrpClient(serviceId, userId, password);
  const startSentAt = now();
  const started = await post('start', { protocol: PROTOCOL_V2, serviceId, userId, A: client.clientPublicHex() }, fetchFunction);
  const startReceivedAt = now();
  if (started.problem) {
    return { ok: false, ...started.problem };
  }
  // Not authenticated yet, so it may only stop us: a clock far off is told before the password is spent.
  const early = offset(started.json.serverTime, startSentAt, startReceivedAt);
  if (Math.abs(early) > MAX_CLOCK_OFFSET_MILLIS) {
    return { ok: false, reason: 'clock-off', offsetMillis: early, spent: false };
  }
  const m1 = await client.respond(started.json.salt, started.json.B);
  const sentAt = now();
  const finished = await post('finish', { sessionId: started.json.sessionId, M1: m1 }, fetchFunction);
  const receivedAt = now();
  if (finished.problem) {
    return { ok: false, ...finished.problem };
  }
  const answer = finished.json;
  if (!(await client.confirmsServer(answer.M2))) {
    return { ok: false, reason: 'server-proof' };
  }
  let parameters;
  try {
    parameters = tokenParameters(answer.tokenParameters?.algorithm, answer.tokenParameters?.digits,
      answer.tokenParameters?.period);
  } catch (e) {
    return { ok: false, reason: 'answer-altered' };
  }
  const serviceName = typeof answer.serviceName === 'string' ? answer.serviceName : '';
  if (answer.serviceId !== serviceId || answer.userId !== userId
    || !(await client.verifiesFinishAnswer(serviceId, userId, serviceName, parameters, String(answer.serverTime), answer.MAC))) {
    return { ok: false, reason: 'answer-altered' };
  }
  const clockOffsetMillis = offset(answer.serverTime, sentAt, receivedAt);
  if (!Number.isFinite(clockOffsetMillis)) {
    return { ok: false, reason: 'answer-altered' };
  }
  if (Math.abs(clockOffsetMillis) > MAX_CLOCK_OFFSET_MILLIS) {
    return { ok: false, reason: 'clock-off', offsetMillis: clockOffsetMillis, spent: true };
  }
  const key = await client.seedKey(parameters);
  const statusKey = await client.derivedKey('status');
  return {
    ok: true,
    token: {
      serviceId,
      userId,
      serviceName: serviceName || serviceId,
      algorithm: parameters.algorithm,
      digits: parameters.digits,
      period: parameters.period,
      clockOffsetMillis,
      clockCheckedAt: receivedAt,
      activatedAt: receivedAt,
      state: 'active',
      key,
      statusKey,
    },
  };
}

/**
 * Asks the authority for its time and this token's state (docs/activation-protocol.md §7):
 * { state, clockOffsetMillis } when the answer's MAC verifies under the token's status key and
 * the round trip was short enough to measure the clock; null otherwise (no status key, offline,
 * unknown to the authority, altered, slow).
 */
export async function status(token, { fetchFunction = globalThis.fetch.bind(globalThis), now = () => Date.now() } = {}) {
  if (!token.statusKey) {
    return null;
  }
  const nonce = toHex(globalThis.crypto.getRandomValues(new Uint8Array(16)));
  const proof = await mac(token.statusKey, statusRequest(token.serviceId, token.userId, nonce));
  const sentAt = now();
  const answered = await post('status', { serviceId: token.serviceId, userId: token.userId, nonce, proof }, fetchFunction);
  const receivedAt = now();
  if (answered.problem || receivedAt - sentAt > MAX_STATUS_ROUND_TRIP_MILLIS) {
    return null;
  }
  const { state, serverTime, MAC } = answered.json;
  if (typeof state !== 'string' || typeof serverTime !== 'string'
    || !(await verifies(token.statusKey, statusAnswer(token.serviceId, token.userId, nonce, state, serverTime), MAC))) {
    return null;
  }
  const clockOffsetMillis = offset(serverTime, sentAt, receivedAt);
  return Number.isFinite(clockOffsetMillis) ? { state, clockOffsetMillis, checkedAt: receivedAt } : null;
}
