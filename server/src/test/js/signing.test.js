// The transaction signature's published vectors (docs/transaction-signing-vectors.json), made by
// the app's own code over non-extractable WebCrypto HMAC keys, and the app's calls to the authority
// over a fake fetch: the proof under the status key, the signature of what the phone shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  twoChannelText, offlineText, question, suite, ocra, offlineCode, approvalSignature, fetchPending, answer,
} from '../../main/resources/static/app/signing.js';
import { fromHex, webCryptoHash, mac, fields } from '../../main/resources/static/app/protocol.js';

const file = new URL('../../../../docs/transaction-signing-vectors.json', import.meta.url);
const published = JSON.parse(readFileSync(file, 'utf8'));
const time = Date.parse(published.time);

async function keyOf(algorithm, usages = ['sign']) {
  return globalThis.crypto.subtle.importKey('raw', fromHex(published.seeds[algorithm]),
    { name: 'HMAC', hash: webCryptoHash(algorithm) }, false, usages);
}

for (const vector of published.vectors) {
  test(`vector "${vector.name}": canonical text, question, suite and response`, async () => {
    const canonical = vector.offline
      ? offlineText(vector.offline.account, vector.offline.amount)
      : twoChannelText(vector.twoChannel.reference, vector.twoChannel.fields);
    assert.equal(canonical, vector.canonical);
    assert.equal(await question(canonical), vector.question);
    assert.equal(suite(vector.algorithm), vector.suite);
    assert.equal(await ocra(await keyOf(vector.algorithm), vector.suite, vector.question, time), vector.response);
    const token = { key: await keyOf(vector.algorithm), algorithm: vector.algorithm };
    if (vector.offline) {
      assert.equal(await offlineCode(token, vector.offline.account, vector.offline.amount, time), vector.response);
    } else {
      assert.equal(await approvalSignature(token, vector.twoChannel, time), vector.response);
    }
  });
}

test('a code of the next minute differs, and a field with a line break is refused', async () => {
  const token = { key: await keyOf('SHA256'), algorithm: 'SHA256' };
  assert.notEqual(await offlineCode(token, '1234567', '10000', time + 60_000), published.vectors[0].response);
  assert.throws(() => twoChannelText('00', { name: 'A\namount:1' }));
  assert.throws(() => offlineText('12-34', ''));
});

test('the pending requests are asked under the status key and only texts the phone can rebuild are kept', async () => {
  const statusKey = await globalThis.crypto.subtle.importKey('raw', new Uint8Array(32).fill(7),
    { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  const token = { serviceId: '12345678', userId: '012345', statusKey, key: await keyOf('SHA256'), algorithm: 'SHA256' };
  const good = published.vectors[4].twoChannel;
  let sent = null;
  const fetchFunction = async (url, init) => {
    sent = { url: String(url), body: JSON.parse(init.body) };
    return new Response(JSON.stringify({ requests: [
      { reference: good.reference, fields: good.fields, canonicalText: twoChannelText(good.reference, good.fields) },
      { reference: 'ff', fields: good.fields, canonicalText: 'something else' },
    ] }), { status: 200, headers: { 'Content-Type': 'application/json' } });
  };
  const requests = await fetchPending(token, { fetchFunction });
  assert.ok(sent.url.endsWith('/api/v1/activation/signing/pending'));
  assert.equal(sent.body.proof, await mac(statusKey, fields('kagi-signing-1/pending', '12345678', '012345', sent.body.nonce)));
  assert.deepEqual(requests.map((r) => r.reference), [good.reference]);

  const approved = await answer(token, requests[0], 'approve', time, { fetchFunction: async (url, init) => {
    sent = { url: String(url), body: JSON.parse(init.body) };
    return new Response(JSON.stringify({ reference: good.reference, state: 'approved' }), { status: 200 });
  } });
  assert.deepEqual(approved, { ok: true, state: 'approved' });
  assert.equal(sent.body.response, published.vectors[4].response);
  assert.equal(sent.body.proof, await mac(statusKey, fields('kagi-signing-1/answer', '12345678', '012345',
    good.reference, 'approve', published.vectors[4].response, sent.body.nonce)));

  const refused = await answer(token, requests[0], 'approve', time, { fetchFunction: async () => new Response(
    JSON.stringify({ code: 'wrong-signature', attemptsLeft: 4 }), { status: 422 }) });
  assert.deepEqual(refused, { ok: false, reason: 'wrong-signature' });
});
