// The app's activation client against an authority built in this test from the protocol's own
// arithmetic (docs/activation-protocol.md §4): the seed both sides derive gives the same codes,
// the clock offset is learned, and every problem the authority answers becomes the outcome the
// screen translates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { activate, status } from '../../main/resources/static/app/activation.js';
import {
  N, G, PROTOCOL, PROTOCOL_V2, modPow, computeK, computeX, computeU, pad, toHex, unsigned, hash, ascii,
  identity, publicValue, finishMessage, statusRequest, statusAnswer, mac, verifies,
} from '../../main/resources/static/app/protocol.js';
import { totp } from '../../main/resources/static/app/totp.js';

const parameters = { algorithm: 'SHA256', digits: 6, period: 60 };

/** An HMAC-SHA256 key derived from K for a version-2 purpose, as the authority derives it. */
async function derived(ikm, transcript, purpose, id) {
  return globalThis.crypto.subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: transcript,
    info: ascii(`${PROTOCOL_V2}|${purpose}|${id}`) }, ikm, { name: 'HMAC', hash: 'SHA-256', length: 256 }, false, ['sign', 'verify']);
}

/**
 * An authority holding one token waiting for activation with this password; `alter` rewrites the
 * finish answer in transit, `tokenState` is what status answers tell.
 */
async function authority(serviceId, userId, password, serverClock, alter = (answer) => answer) {
  const id = identity(serviceId, userId);
  const salt = globalThis.crypto.getRandomValues(new Uint8Array(32));
  const v = modPow(G, await computeX(id, password, salt), N);
  const b = unsigned(globalThis.crypto.getRandomValues(new Uint8Array(32)));
  const k = await computeK();
  const B = (k * v + modPow(G, b, N)) % N;
  const state = { seed: null, A: null, statusKey: null, tokenState: 'active', starts: [] };
  async function fetchFunction(url, init) {
    const body = JSON.parse(init.body);
    const json = (status, value) => new Response(JSON.stringify(value), { status, headers: { 'Content-Type': 'application/json' } });
    const serverTime = new Date(serverClock()).toISOString();
    if (String(url).endsWith('/start')) {
      state.starts.push(body);
      state.A = publicValue(body.A);
      return json(200, { sessionId: 'session-1', salt: toHex(salt), B: toHex(pad(B)), expiresAt: serverTime, serverTime });
    }
    if (String(url).endsWith('/status')) {
      assert.equal(await verifies(state.statusKey, statusRequest(serviceId, userId, body.nonce), body.proof), true);
      return json(200, { state: state.tokenState, serverTime,
        MAC: await mac(state.statusKey, statusAnswer(serviceId, userId, body.nonce, state.tokenState, serverTime)) });
    }
    const u = await computeU(state.A, B);
    const K = await hash(pad(modPow((state.A * modPow(v, u, N)) % N, b, N)));
    const hashN = await hash(pad(N));
    const hashG = await hash(pad(G));
    const xor = hashN.map((byte, i) => byte ^ hashG[i]);
    const M1 = await hash(xor, await hash(ascii(id)), salt, pad(state.A), pad(B), K);
    if (toHex(M1) !== body.M1) {
      return json(400, { type: 'urn:kagi:problem:wrong-activation-password', code: 'wrong-activation-password', status: 400, attemptsLeft: 4 });
    }
    const transcript = await hash(await hash(ascii(id)), salt, pad(state.A), pad(B));
    const ikm = await globalThis.crypto.subtle.importKey('raw', K, 'HKDF', false, ['deriveBits', 'deriveKey']);
    state.seed = new Uint8Array(await globalThis.crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: transcript,
      info: ascii(`${PROTOCOL}|${id}|SHA256:6:60`) }, ikm, 256));
    state.statusKey = await derived(ikm, transcript, 'status', id);
    const finishKey = await derived(ikm, transcript, 'finish', id);
    const serviceName = 'かぎ銀行ビジネスWeb';
    return json(200, alter({ M2: toHex(await hash(pad(state.A), M1, K)), serviceId, userId, serviceName,
      tokenParameters: parameters, serverTime,
      MAC: await mac(finishKey, finishMessage(serviceId, userId, serviceName, parameters, serverTime)) }));
  }
  return { fetchFunction, state };
}

test('activates, keeps a non-extractable key that gives the authority\'s codes, and learns the clock offset', async () => {
  const phoneNow = Date.parse('2026-11-24T09:25:00Z');
  const serverNow = phoneNow + 240_000;
  const server = await authority('12345678', '012345', '24680135', () => serverNow);

  const outcome = await activate('12345678', '012345', '24680135', { fetchFunction: server.fetchFunction, now: () => phoneNow });

  assert.equal(outcome.ok, true);
  const token = outcome.token;
  assert.equal(token.serviceName, 'かぎ銀行ビジネスWeb');
  assert.equal(token.clockOffsetMillis, 240_000);
  assert.equal(server.state.starts[0].protocol, PROTOCOL_V2);
  assert.equal(token.statusKey.extractable, false);
  assert.equal(token.key.extractable, false);
  const serverKey = await globalThis.crypto.subtle.importKey('raw', server.state.seed, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  assert.equal(await totp(token.key, token, phoneNow + token.clockOffsetMillis), await totp(serverKey, parameters, serverNow));
});

test('a wrong activation password answers the attempts left', async () => {
  const server = await authority('12345678', '012345', '24680135', () => Date.now());

  const outcome = await activate('12345678', '012345', '1111', { fetchFunction: server.fetchFunction });

  assert.deepEqual({ ok: outcome.ok, reason: outcome.reason, attemptsLeft: outcome.attemptsLeft },
    { ok: false, reason: 'wrong-activation-password', attemptsLeft: 4 });
});

for (const [status, code] of [[404, 'token-not-found'], [409, 'already-activated'], [410, 'activation-expired'],
  [410, 'activation-voided'], [429, 'too-many-requests']]) {
  test(`the authority's ${status} ${code} becomes the outcome ${code}`, async () => {
    const fetchFunction = async () => new Response(JSON.stringify({ type: `urn:kagi:problem:${code}`, status, code }),
      { status, headers: { 'Content-Type': 'application/problem+json', 'Retry-After': '60' } });

    const outcome = await activate('12345678', '012345', '1234', { fetchFunction });

    assert.equal(outcome.ok, false);
    assert.equal(outcome.reason, code);
  });
}

test('no network is told apart from a server error', async () => {
  const offline = await activate('12345678', '012345', '1234', { fetchFunction: async () => { throw new TypeError('Failed to fetch'); } });
  const broken = await activate('12345678', '012345', '1234', { fetchFunction: async () => new Response('oops', { status: 500 }) });

  assert.equal(offline.reason, 'offline');
  assert.equal(broken.reason, 'server');
});

test('a server that cannot prove it knows the verifier is refused and nothing is kept', async () => {
  const server = await authority('12345678', '012345', '24680135', () => Date.now());
  const forging = async (url, init) => {
    const response = await server.fetchFunction(url, init);
    if (!String(url).endsWith('/finish')) {
      return response;
    }
    const body = await response.json();
    body.M2 = '00'.repeat(32);
    return new Response(JSON.stringify(body), { status: 200 });
  };

  const outcome = await activate('12345678', '012345', '24680135', { fetchFunction: forging });

  assert.deepEqual(outcome, { ok: false, reason: 'server-proof' });
});

test('a finish answer whose serverTime was moved in transit is refused and nothing is kept', async () => {
  const moved = (answer) => ({ ...answer, serverTime: new Date(Date.parse(answer.serverTime) + 86_400_000).toISOString() });
  const server = await authority('12345678', '012345', '24680135', () => Date.now(), moved);

  const outcome = await activate('12345678', '012345', '24680135', { fetchFunction: server.fetchFunction });

  assert.deepEqual(outcome, { ok: false, reason: 'answer-altered' });
});

test('a finish answer whose token parameters were changed in transit is refused and nothing is kept', async () => {
  const changed = (answer) => ({ ...answer, tokenParameters: { algorithm: 'SHA1', digits: 8, period: 30 } });
  const server = await authority('12345678', '012345', '24680135', () => Date.now(), changed);

  const outcome = await activate('12345678', '012345', '24680135', { fetchFunction: server.fetchFunction });

  assert.deepEqual(outcome, { ok: false, reason: 'answer-altered' });
});

test('a finish answer without a MAC (an authority of version 1) is refused', async () => {
  const stripped = (answer) => ({ ...answer, MAC: undefined });
  const server = await authority('12345678', '012345', '24680135', () => Date.now(), stripped);

  const outcome = await activate('12345678', '012345', '24680135', { fetchFunction: server.fetchFunction });

  assert.deepEqual(outcome, { ok: false, reason: 'answer-altered' });
});

test('a phone clock beyond five minutes off is refused before the password is spent', async () => {
  const phoneNow = Date.parse('2026-11-24T09:25:00Z');
  const server = await authority('12345678', '012345', '24680135', () => phoneNow + 360_000);

  const outcome = await activate('12345678', '012345', '24680135', { fetchFunction: server.fetchFunction, now: () => phoneNow });

  assert.deepEqual(outcome, { ok: false, reason: 'clock-off', offsetMillis: 360_000, spent: false });
  assert.equal(server.state.seed, null, 'no finish was sent');
});

test('a status answer measures the clock again once the phone\'s clock is fixed and tells the token\'s state', async () => {
  let phoneNow = Date.parse('2026-11-24T09:25:00Z');
  let serverNow = phoneNow + 120_000;
  const server = await authority('12345678', '012345', '24680135', () => serverNow);
  const { token } = await activate('12345678', '012345', '24680135', { fetchFunction: server.fetchFunction, now: () => phoneNow });
  assert.equal(token.clockOffsetMillis, 120_000);
  phoneNow = serverNow = Date.parse('2026-11-24T10:00:00Z');
  server.state.tokenState = 'revoked';

  const answer = await status(token, { fetchFunction: server.fetchFunction, now: () => phoneNow });

  assert.deepEqual(answer, { state: 'revoked', clockOffsetMillis: 0, checkedAt: phoneNow });
});

test('a status answer whose time was moved in transit is not used', async () => {
  const server = await authority('12345678', '012345', '24680135', () => Date.now());
  const { token } = await activate('12345678', '012345', '24680135', { fetchFunction: server.fetchFunction });
  const moving = async (url, init) => {
    const response = await server.fetchFunction(url, init);
    const body = await response.json();
    body.serverTime = new Date(Date.parse(body.serverTime) + 3_600_000).toISOString();
    return new Response(JSON.stringify(body), { status: 200 });
  };

  assert.equal(await status(token, { fetchFunction: moving }), null);
});
