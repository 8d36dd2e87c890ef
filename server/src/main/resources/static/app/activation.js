/**
 * Activation over the authority's REST endpoints (docs/activation-protocol.md §4): start with A,
 * finish with M1, check M2, derive the seed into a non-extractable HMAC key, learn the clock
 * offset. Answers an outcome instead of throwing for everything a user can cause.
 *
 * Outcomes: { ok: true, token } or { ok: false, reason, attemptsLeft?, retryAfter? } with reason
 * one of 'wrong-activation-password', 'activation-voided', 'activation-expired',
 * 'already-activated', 'token-not-found', 'too-many-requests', 'invalid-request', 'offline',
 * 'server', 'server-proof'.
 */

import { SrpClient, tokenParameters } from './protocol.js';

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
    'token-not-found', 'too-many-requests', 'invalid-request', 'activation-session-expired'];
  const reason = known.includes(code) ? code : (response.status === 429 ? 'too-many-requests' : 'server');
  return {
    problem: {
      reason,
      attemptsLeft: Number.isInteger(json?.attemptsLeft) ? json.attemptsLeft : undefined,
      retryAfter: response.headers.get('Retry-After') ?? undefined,
    },
  };
}

/**
 * Runs one exchange. `now` is the phone's clock in milliseconds (Date.now by default).
 * The token returned holds { serviceId, userId, serviceName, algorithm, digits, period,
 * clockOffsetMillis, activatedAt, key }.
 */
export async function activate(serviceId, userId, password, { fetchFunction = globalThis.fetch.bind(globalThis), now = () => Date.now() } = {}) {
  const client = new SrpClient(serviceId, userId, password);
  const started = await post('start', { serviceId, userId, A: client.clientPublicHex() }, fetchFunction);
  if (started.problem) {
    return { ok: false, ...started.problem };
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
  const parameters = tokenParameters(answer.tokenParameters.algorithm, answer.tokenParameters.digits,
    answer.tokenParameters.period);
  const key = await client.seedKey(parameters);
  const serverTime = Date.parse(answer.serverTime);
  // The server read its clock between our send and our receipt: take the middle.
  const clockOffsetMillis = Number.isFinite(serverTime) ? Math.round(serverTime - (sentAt + receivedAt) / 2) : 0;
  return {
    ok: true,
    token: {
      serviceId: answer.serviceId ?? serviceId,
      userId: answer.userId ?? userId,
      serviceName: answer.serviceName || serviceId,
      algorithm: parameters.algorithm,
      digits: parameters.digits,
      period: parameters.period,
      clockOffsetMillis,
      activatedAt: receivedAt,
      key,
    },
  };
}
