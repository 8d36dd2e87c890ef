// The app's texts: Japanese and English hold the same messages; the language follows the choice
// in 設定, else the phone, and is Japanese when unsure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseLanguage, keys, t } from '../../main/resources/static/app/i18n.js';

test('Japanese and English hold the same messages', () => {
  assert.deepEqual([...keys('en')].sort(), [...keys('ja')].sort());
});

test('the language is the chosen one, else the phone\'s, else Japanese', () => {
  assert.equal(chooseLanguage('en', ['ja-JP']), 'en');
  assert.equal(chooseLanguage(null, ['en-US', 'ja']), 'en');
  assert.equal(chooseLanguage(null, ['fr-FR', 'ja-JP']), 'ja');
  assert.equal(chooseLanguage(null, ['de-DE']), 'ja');
  assert.equal(chooseLanguage('xx', []), 'ja');
});

test('placeholders are filled in either language', () => {
  assert.equal(t('error.wrongPassword', { attemptsLeft: 3 }, 'ja'),
    '利用開始パスワードが正しくありません。あと3回間違えると、このトークンは無効になります。');
  assert.match(t('error.wrongPassword', { attemptsLeft: 3 }, 'en'), /3 more wrong attempts/);
  assert.match(t('error.duplicate', { serviceId: '12345678' }, 'ja'), /12345678/);
});
