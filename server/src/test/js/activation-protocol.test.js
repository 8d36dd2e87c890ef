// The published vectors of docs/activation-protocol-vectors.json, reproduced by the token app's
// JavaScript client: every intermediate value, the seed (through an extractable copy of the HKDF
// key the app derives), the codes at the given instants and the M1 of a wrong password.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  N, G, SrpClient, ActivationProtocolError, modPow, computeK, computeX, computeU, pad, toHex, fromHex,
  unsigned, tokenParameters, publicValue, PROTOCOL_V2, mac, verifies, statusRequest, statusAnswer,
} from '../../main/resources/static/app/protocol.js';
import { totp, stepAt } from '../../main/resources/static/app/totp.js';

const file = new URL('../../../../docs/activation-protocol-vectors.json', import.meta.url);
const published = JSON.parse(readFileSync(file, 'utf8'));

test('the group is the RFC 5054 2048-bit group with g = 2', () => {
  assert.equal(N.toString(16), published.group.N);
  assert.equal(G, BigInt(published.group.g));
});

test('modPow agrees with small known values', () => {
  assert.equal(modPow(4n, 13n, 497n), 445n);
  assert.equal(modPow(2n, 0n, 7n), 1n);
  assert.equal(modPow(7n, 1n, 5n), 2n);
});

for (const vector of published.vectors) {
  const input = vector.input;
  const parameters = tokenParameters(input.tokenParameters.algorithm, input.tokenParameters.digits,
    input.tokenParameters.period);

  test(`vector "${vector.name}": x, v, k, A, B, u, S, K, M1, M2, seed and codes`, async () => {
    const salt = fromHex(input.salt);
    const x = await computeX(vector.identity, input.password, salt);
    assert.equal(x.toString(16).padStart(64, '0'), vector.x);
    const v = modPow(G, x, N);
    assert.equal(toHex(pad(v)), vector.v);
    const k = await computeK();
    assert.equal(k.toString(16).padStart(64, '0'), vector.k);
    // The authority's side, from b, only to feed the client.
    const b = unsigned(fromHex(input.b));
    const B = (k * v + modPow(G, b, N)) % N;
    assert.equal(toHex(pad(B)), vector.B);

    const client = new SrpClient(input.serviceId, input.userId, input.password, fromHex(input.a));
    assert.equal(client.identity, vector.identity);
    assert.equal(client.clientPublicHex(), vector.A);
    const u = await computeU(client.clientPublic, B);
    assert.equal(u.toString(16).padStart(64, '0'), vector.u);

    const m1 = await client.respond(input.salt, vector.B);
    assert.equal(m1, vector.M1);
    assert.equal(toHex(client.sessionKey), vector.K);
    assert.equal(client.password, null, 'the client forgets the password once it has answered');

    const serverSecret = modPow((publicValue(vector.A) * modPow(v, u, N)) % N, b, N);
    assert.equal(toHex(pad(serverSecret)), vector.S);

    assert.equal(await client.confirmsServer(vector.M2), true);
    const key = await client.seedKey(parameters, true);
    const seed = new Uint8Array(await globalThis.crypto.subtle.exportKey('raw', key));
    assert.equal(toHex(seed), vector.seed);

    for (const expected of vector.codes) {
      const time = Date.parse(expected.time);
      assert.equal(stepAt(time, parameters.period), expected.step);
      assert.equal(await totp(key, parameters, time), expected.code, `code at ${expected.time}`);
    }
  });

  test(`vector "${vector.name}": the app's own key is not extractable and gives the same codes`, async () => {
    const client = new SrpClient(input.serviceId, input.userId, input.password, fromHex(input.a));
    await client.respond(input.salt, vector.B);
    assert.equal(await client.confirmsServer(vector.M2), true);
    const key = await client.seedKey(parameters);
    assert.equal(key.extractable, false);
    assert.deepEqual(key.usages, ['sign']);
    await assert.rejects(globalThis.crypto.subtle.exportKey('raw', key));
    const first = vector.codes[0];
    assert.equal(await totp(key, parameters, Date.parse(first.time)), first.code);
  });

  test(`vector "${vector.name}": a wrong password gives the published refused M1`, async () => {
    const client = new SrpClient(input.serviceId, input.userId, vector.wrongPassword.password, fromHex(input.a));
    assert.equal(await client.respond(input.salt, vector.B), vector.wrongPassword.M1);
  });

  test(`vector "${vector.name}": a wrong M2 is refused and no seed is derived`, async () => {
    const client = new SrpClient(input.serviceId, input.userId, input.password, fromHex(input.a));
    await client.respond(input.salt, vector.B);
    const forged = vector.M2.slice(0, 63) + (vector.M2.endsWith('0') ? '1' : '0');
    assert.equal(await client.confirmsServer(forged), false);
    await assert.rejects(client.seedKey(parameters), /not proved/);
  });
}

test('the published file is of protocol version 2', () => {
  assert.equal(published.protocol, PROTOCOL_V2);
});

for (const vector of published.vectors) {
  const input = vector.input;
  const answer = vector.finishAnswer;
  const parameters = tokenParameters(answer.tokenParameters.algorithm, answer.tokenParameters.digits,
    answer.tokenParameters.period);

  test(`vector "${vector.name}": version 2 keys and MACs; a moved serverTime or changed parameters do not verify`, async () => {
    const client = new SrpClient(input.serviceId, input.userId, input.password, fromHex(input.a));
    await client.respond(input.salt, vector.B);
    assert.equal(await client.confirmsServer(vector.M2), true);
    const finishKey = await client.derivedKey('finish', true);
    const statusKey = await client.derivedKey('status', true);
    assert.equal(toHex(new Uint8Array(await globalThis.crypto.subtle.exportKey('raw', finishKey))), vector.finishKey);
    assert.equal(toHex(new Uint8Array(await globalThis.crypto.subtle.exportKey('raw', statusKey))), vector.statusKey);
    assert.equal((await client.derivedKey('status')).extractable, false);

    assert.equal(await client.verifiesFinishAnswer(answer.serviceId, answer.userId, answer.serviceName, parameters,
      answer.serverTime, answer.MAC), true);
    assert.equal(await client.verifiesFinishAnswer(answer.serviceId, answer.userId, answer.serviceName, parameters,
      answer.movedServerTime, answer.MAC), false);
    assert.equal(await client.verifiesFinishAnswer(answer.serviceId, answer.userId, answer.serviceName, parameters,
      answer.movedServerTime, answer.macOfMovedServerTime), true);
    assert.equal(await client.verifiesFinishAnswer(answer.serviceId, answer.userId, answer.serviceName,
      tokenParameters('SHA1', 8, 30), answer.serverTime, answer.MAC), false);

    const status = vector.status;
    assert.equal(await mac(statusKey, statusRequest(input.serviceId, input.userId, status.nonce)), status.proof);
    assert.equal(await verifies(statusKey, statusAnswer(input.serviceId, input.userId, status.nonce, status.state,
      status.serverTime), status.MAC), true);
  });
}

test('a server value B that is 0 mod N or not below N is refused', async () => {
  const client = new SrpClient('12345678', '012345', '1234');
  const salt = '00'.repeat(32);
  await assert.rejects(client.respond(salt, '00'.repeat(256)), ActivationProtocolError);
  await assert.rejects(client.respond(salt, toHex(pad(N - 1n)).replace(/^ac/, 'ff')), ActivationProtocolError);
  await assert.rejects(client.respond(salt, 'ab'), ActivationProtocolError);
});

test('identities and passwords outside the rules are refused before anything is sent', () => {
  assert.throws(() => new SrpClient('1234567', '012345', '1234'), RangeError);
  assert.throws(() => new SrpClient('12345678', '12345', '1234'), RangeError);
  assert.throws(() => new SrpClient('12345678', '012345', '123'), RangeError);
  assert.throws(() => new SrpClient('12345678', '012345', '123456789'), RangeError);
  assert.throws(() => new SrpClient('12345678', '012345', '12a4'), RangeError);
});
