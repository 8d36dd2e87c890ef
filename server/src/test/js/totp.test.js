// RFC 6238 Appendix B vectors (seeds "12345678901234567890" repeated to the hash's length),
// computed by the app's TOTP over WebCrypto HMAC keys that are not extractable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { totp, hotp, secondsLeft, stepAt } from '../../main/resources/static/app/totp.js';
import { tokenParameters, webCryptoHash, ascii } from '../../main/resources/static/app/protocol.js';

const seeds = {
  SHA1: '12345678901234567890',
  SHA256: '12345678901234567890123456789012',
  SHA512: '1234567890123456789012345678901234567890123456789012345678901234',
};

const rfc6238 = [
  // time (s)       SHA1        SHA256      SHA512
  [59,          '94287082', '46119246', '90693936'],
  [1111111109,  '07081804', '68084774', '25091201'],
  [1111111111,  '14050471', '67062674', '99943326'],
  [1234567890,  '89005924', '91819424', '93441116'],
  [2000000000,  '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

async function keyOf(algorithm) {
  return globalThis.crypto.subtle.importKey('raw', ascii(seeds[algorithm]),
    { name: 'HMAC', hash: webCryptoHash(algorithm) }, false, ['sign']);
}

for (const [seconds, ...codes] of rfc6238) {
  ['SHA1', 'SHA256', 'SHA512'].forEach((algorithm, column) => {
    test(`RFC 6238 ${algorithm} at ${seconds} s is ${codes[column]}`, async () => {
      const code = await totp(await keyOf(algorithm), tokenParameters(algorithm, 8, 30), seconds * 1000);
      assert.equal(code, codes[column]);
    });
  });
}

test('RFC 4226 Appendix D HOTP values, six digits', async () => {
  const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
  const key = await keyOf('SHA1');
  for (let counter = 0; counter < expected.length; counter++) {
    assert.equal(await hotp(key, counter, 6), expected[counter]);
  }
});

test('the countdown runs from the period down to 1 and the step changes when it restarts', () => {
  assert.equal(secondsLeft(0, 60), 60);
  assert.equal(secondsLeft(59_999, 60), 1);
  assert.equal(secondsLeft(60_000, 60), 60);
  assert.equal(stepAt(59_999, 60), 0);
  assert.equal(stepAt(60_000, 60), 1);
});

test('a key made not extractable cannot be exported', async () => {
  const key = await keyOf('SHA256');
  await assert.rejects(globalThis.crypto.subtle.exportKey('raw', key));
});
