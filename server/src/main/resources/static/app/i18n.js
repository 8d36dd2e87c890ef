/**
 * The app's texts in Japanese (the default) and English. The language is the one chosen in 設定,
 * else the phone's (navigator.language), Japanese when unsure.
 */

const texts = {
  ja: {
    'app.title': 'ワンタイムパスワード',
    'app.loading': '読み込み中…',
    'action.back': '戻る',
    'action.send': '送信',
    'action.sending': '送信中…',
    'action.cancel': 'キャンセル',
    'action.next': '次へ',
    'action.settings': '設定',
    'action.addToken': 'トークン追加',
    'action.remove': '削除',
    'action.showCodes': 'ワンタイムパスワード表示',
    'setup.heading': '初期設定',
    'setup.addHeading': 'トークン追加',
    'setup.lead': 'サービスIDとユーザID、利用開始パスワードを入力し、送信ボタンを押してください。',
    'field.serviceId': 'サービスID',
    'field.userId': 'ユーザID',
    'field.password': '利用開始パスワード',
    'hint.serviceId': '半角数字8桁（「トークン発行のお知らせ」メールに記載）',
    'hint.userId': '半角数字6桁（「トークン発行のお知らせ」メールに記載）',
    'hint.password': 'パソコンのトークン発行画面で入力した半角数字4〜8桁',
    'invalid.serviceId': 'サービスIDは半角数字8桁で入力してください。',
    'invalid.userId': 'ユーザIDは半角数字6桁で入力してください。',
    'invalid.password': '利用開始パスワードは半角数字4〜8桁で入力してください。',
    'error.duplicate': 'サービスID {serviceId} のトークンは、すでにこの端末に登録されています。1台の端末に登録できるトークンは、1つのサービスにつき1つです。',
    'error.full': 'この端末に登録できるトークンは{max}個までです。不要なトークンを削除してから追加してください。',
    'error.wrongPassword': '利用開始パスワードが正しくありません。あと{attemptsLeft}回間違えると、このトークンは無効になります。',
    'error.wrongPasswordNoCount': '利用開始パスワード、サービスIDまたはユーザIDが正しくありません。',
    'error.voided': 'このトークンは無効になりました（利用開始パスワードの誤りが続いたか、トークンが再発行されました）。パソコンからトークンの発行をやり直してください。',
    'error.expired': 'トークンの有効期限（発行から24時間）が過ぎています。パソコンからトークンの発行をやり直してください。',
    'error.alreadyActivated': 'このトークンはすでに別の端末（またはこの端末）で利用開始されています。もう一度設定するには、パソコンからトークンの発行をやり直してください。',
    'error.unknown': 'サービスIDとユーザIDに該当する、利用開始を待つトークンがありません。メールに記載のIDをご確認ください。すでに利用開始したトークンをもう一度設定するには、パソコンからトークンの発行をやり直してください。',
    'error.tooMany': '試行回数が多すぎます。しばらく待ってからやり直してください。',
    'error.offline': 'ネットワークに接続できません。通信できる場所でもう一度送信してください。',
    'error.server': 'サーバでエラーが発生しました。しばらく待ってからやり直してください。',
    'error.sessionExpired': '通信に時間がかかりすぎました。もう一度送信してください。',
    'error.serverProof': 'サーバの応答を確認できませんでした。もう一度送信してください。',
    'error.answerAltered': 'サーバの応答が途中で書き換えられたため、トークンを保存しませんでした。安全なネットワークで、パソコンからトークンの発行をやり直してください。',
    'error.clockOff': '端末の時計がサーバの時刻と約{minutes}分ずれています。端末の日付と時刻を「自動設定」にしてから、もう一度送信してください。',
    'error.clockOffSpent': '端末の時計がサーバの時刻と約{minutes}分ずれているため、トークンを保存しませんでした。端末の日付と時刻を「自動設定」にしてから、パソコンからトークンの発行をやり直してください。',
    'error.updateRequired': 'このアプリは古い版です。ページを再読み込みして最新の版にしてから、もう一度送信してください。',
    'error.storage': 'この端末にトークンを保存できませんでした。ブラウザの設定（プライベートモード等）をご確認ください。',
    'done.heading': '設定完了',
    'done.message': '{serviceName}のトークンを設定しました。',
    'done.lead': '「次へ」を押すと、ワンタイムパスワードが表示されます。',
    'codes.lead': '表示中のワンタイムパスワードを入力してください。タップするとコピーします。',
    'codes.secondsLeft': 'あと{seconds}秒',
    'codes.ids': 'サービスID {serviceId} / ユーザID {userId}',
    'codes.copied': 'コピーしました',
    'codes.copyFailed': 'コピーできませんでした',
    'codes.label': '{serviceName}のワンタイムパスワード {code}、あと{seconds}秒',
    'action.offlineSign': '取引認証コード',
    'signing.heading': '取引の確認',
    'signing.lead': 'パソコンで操作中の取引です。振込先と金額がパソコンの画面と同じか確かめてください。違う場合は「否認」を押してください。',
    'signing.payee': '振込先',
    'signing.account': '口座',
    'signing.name': '受取人',
    'signing.amount': '金額',
    'signing.approve': '承認',
    'signing.deny': '否認',
    'signing.bankBranch': '金融機関 {bank} / 支店 {branch}',
    'signing.yen': '{amount}円',
    'signing.service': '{serviceName}（ユーザID {userId}）',
    'signing.approved': '承認しました。パソコンの画面が自動的に進みます。',
    'signing.denied': '否認しました。この取引は実行されません。',
    'signing.failed': '送信できませんでした（{reason}）。パソコンで「取引認証コード」を使ってください。',
    'offline.heading': '取引認証コード',
    'offline.lead': 'パソコンの画面に表示された振込先の口座番号と金額を入力してください。表示されたコードをパソコンに入力します。',
    'offline.token': 'サービス',
    'offline.account': '振込先の口座番号',
    'offline.amount': '金額（円）',
    'offline.amountHint': '振込のときは金額も入力します（振込先登録では空欄）。',
    'offline.show': 'コードを表示',
    'offline.validity': 'このコードは約1分ごとに変わります。パソコンの取引認証コード欄に入力してください。',
    'offline.summary': '口座番号 {account} / 金額 {amount}',
    'offline.noAmount': 'なし',
    'offline.invalidAccount': '口座番号は半角数字で入力してください。',
    'offline.invalidAmount': '金額は半角数字で入力してください（カンマは不要です）。',
    'settings.heading': '設定',
    'settings.tokens': '登録済みのトークン',
    'settings.count': '{count}個（最大{max}個）',
    'settings.removed': '{serviceName}のトークンを削除しました。',
    'settings.language': '表示言語 / Language',
    'settings.about': 'この端末について',
    'settings.persisted': 'トークンはこの端末のブラウザ内に、取り出せない鍵として保存されています（永続保存：有効）。',
    'settings.notPersisted': 'トークンはこの端末のブラウザ内に、取り出せない鍵として保存されています。ブラウザの履歴やサイトデータを消去すると削除されます。',
    'state.revoked': '失効',
    'state.locked': 'ロック',
    'state.replaced': '再発行により無効',
    'state.voided': '無効',
    'state.active': '利用中',
    'state.revoked.card': 'このトークンは失効しました。ワンタイムパスワードは使えません。この端末から削除してください。',
    'state.locked.card': 'このトークンはロックされています（ワンタイムパスワードの誤りが続きました）。管理者または銀行にロックの解除を依頼してください。解除されるまでワンタイムパスワードは使えません。',
    'state.replaced.card': 'このトークンは、新しいトークンの発行により無効になりました。この端末から削除し、新しいトークンを設定してください。',
    'state.voided.card': 'このトークンは無効になりました。ワンタイムパスワードは使えません。この端末から削除してください。',
    'replace.heading': 'トークンの置き換え',
    'replace.message': 'この端末の{serviceName}（サービスID {serviceId}）のトークンは「{state}」です。新しいトークンで置き換えますか？新しいトークンの設定が完了したときに、古いトークンを削除します。',
    'action.replace': '置き換える',
    'remove.heading': 'トークンの削除',
    'remove.message': '{serviceName}（サービスID {serviceId}）のトークンを削除しますか？',
    'remove.warning': '削除すると、このサービスのワンタイムパスワードはこの端末に表示されなくなります。もう一度使うには、トークンの発行からやり直してください。',
    'notice.offline': 'オフラインです。ワンタイムパスワードはこの端末で計算しています。',
    'notice.clock': '端末の時計が約{seconds}秒ずれています。ワンタイムパスワードはサーバの時刻に合わせて補正していますが、端末の時刻設定をご確認ください。',
  },
  en: {
    'app.title': 'One-time password',
    'app.loading': 'Loading…',
    'action.back': 'Back',
    'action.send': 'Send',
    'action.sending': 'Sending…',
    'action.cancel': 'Cancel',
    'action.next': 'Next',
    'action.settings': 'Settings',
    'action.addToken': 'Add token',
    'action.remove': 'Remove',
    'action.showCodes': 'Show codes',
    'setup.heading': 'Set up',
    'setup.addHeading': 'Add token',
    'setup.lead': 'Enter the Service ID, the User ID and the activation password, then tap Send.',
    'field.serviceId': 'Service ID',
    'field.userId': 'User ID',
    'field.password': 'Activation password',
    'hint.serviceId': '8 digits, from the "token issued" mail',
    'hint.userId': '6 digits, from the "token issued" mail',
    'hint.password': 'The 4 to 8 digits you entered on the PC when the token was issued',
    'invalid.serviceId': 'A Service ID is 8 digits.',
    'invalid.userId': 'A User ID is 6 digits.',
    'invalid.password': 'The activation password is 4 to 8 digits.',
    'error.duplicate': 'This phone already holds a token of service {serviceId}. A phone holds one token per service.',
    'error.full': 'This phone holds at most {max} tokens. Remove one you no longer need first.',
    'error.wrongPassword': 'The activation password is wrong. {attemptsLeft} more wrong attempts will void this token.',
    'error.wrongPasswordNoCount': 'The activation password, Service ID or User ID is wrong.',
    'error.voided': 'This token has been voided (too many wrong activation passwords, or a newer token was issued). Issue a token again on the PC.',
    'error.expired': 'This token was not activated within 24 hours of issue and has expired. Issue a token again on the PC.',
    'error.alreadyActivated': 'This token has already been activated on a phone. To set it up again, issue a token again on the PC.',
    'error.unknown': 'No token waits for activation under this Service ID and User ID. Check the IDs in the mail. To set up a token that was already activated again, issue a token again on the PC.',
    'error.tooMany': 'Too many attempts. Wait a while and try again.',
    'error.offline': 'No network connection. Send again where you are online.',
    'error.server': 'The server had a problem. Wait a while and try again.',
    'error.sessionExpired': 'The exchange took too long. Send again.',
    'error.serverProof': 'The server\'s answer could not be confirmed. Send again.',
    'error.answerAltered': 'The server\'s answer was altered on the way, so the token was not saved. On a network you trust, issue a token again on the PC.',
    'error.clockOff': 'This phone\'s clock is about {minutes} minutes off the server\'s time. Set the date and time to automatic, then send again.',
    'error.clockOffSpent': 'This phone\'s clock is about {minutes} minutes off the server\'s time, so the token was not saved. Set the date and time to automatic, then issue a token again on the PC.',
    'error.updateRequired': 'This app is out of date. Reload the page to get the current version, then send again.',
    'error.storage': 'The token could not be saved on this phone. Check the browser settings (private mode, for example).',
    'done.heading': 'Set up complete',
    'done.message': 'The token of {serviceName} is set up.',
    'done.lead': 'Tap Next to see your one-time password.',
    'codes.lead': 'Enter the code shown. Tap a code to copy it.',
    'codes.secondsLeft': '{seconds} s left',
    'codes.ids': 'Service ID {serviceId} / User ID {userId}',
    'codes.copied': 'Copied',
    'codes.copyFailed': 'Could not copy',
    'codes.label': 'One-time password of {serviceName}: {code}, {seconds} seconds left',
    'action.offlineSign': 'Transaction code',
    'signing.heading': 'Check the transaction',
    'signing.lead': 'A transaction you are carrying out on your PC. Check that the payee and the amount are the ones on the PC. If they differ, tap Deny.',
    'signing.payee': 'Payee',
    'signing.account': 'Account',
    'signing.name': 'Holder',
    'signing.amount': 'Amount',
    'signing.approve': 'Approve',
    'signing.deny': 'Deny',
    'signing.bankBranch': 'Bank {bank} / branch {branch}',
    'signing.yen': '¥{amount}',
    'signing.service': '{serviceName} (user ID {userId})',
    'signing.approved': 'Approved. The PC page moves on by itself.',
    'signing.denied': 'Denied. The transaction will not be carried out.',
    'signing.failed': 'Could not send ({reason}). Use the transaction code on the PC.',
    'offline.heading': 'Transaction code',
    'offline.lead': 'Type the payee\'s account number and the amount shown on the PC. Enter the code shown here on the PC.',
    'offline.token': 'Service',
    'offline.account': 'Payee account number',
    'offline.amount': 'Amount (yen)',
    'offline.amountHint': 'For a transfer type the amount too (leave it empty for a payee registration).',
    'offline.show': 'Show the code',
    'offline.validity': 'The code changes about every minute. Enter it in the transaction code field on the PC.',
    'offline.summary': 'Account {account} / amount {amount}',
    'offline.noAmount': 'none',
    'offline.invalidAccount': 'Type the account number in digits.',
    'offline.invalidAmount': 'Type the amount in digits (no commas).',
    'settings.heading': 'Settings',
    'settings.tokens': 'Tokens on this phone',
    'settings.count': '{count} (at most {max})',
    'settings.removed': 'The token of {serviceName} was removed.',
    'settings.language': '表示言語 / Language',
    'settings.about': 'About this phone',
    'settings.persisted': 'Tokens are kept in this browser as keys that cannot be read back (persistent storage: granted).',
    'settings.notPersisted': 'Tokens are kept in this browser as keys that cannot be read back. Clearing the browser\'s site data removes them.',
    'state.revoked': 'revoked',
    'state.locked': 'locked',
    'state.replaced': 'replaced by a new issue',
    'state.voided': 'voided',
    'state.active': 'in use',
    'state.revoked.card': 'This token was revoked. Its codes no longer work. Remove it from this phone.',
    'state.locked.card': 'This token is locked (too many wrong codes). Ask your administrator or the bank to unlock it; its codes do not work until then.',
    'state.replaced.card': 'A new token was issued, so this one no longer works. Remove it and set up the new token.',
    'state.voided.card': 'This token was voided. Its codes no longer work. Remove it from this phone.',
    'replace.heading': 'Replace token',
    'replace.message': 'The token of {serviceName} (Service ID {serviceId}) on this phone is {state}. Replace it with the new token? The old one is removed once the new one is set up.',
    'action.replace': 'Replace',
    'remove.heading': 'Remove token',
    'remove.message': 'Remove the token of {serviceName} (Service ID {serviceId})?',
    'remove.warning': 'This phone will no longer show codes for this service. To use it again, a new token must be issued.',
    'notice.offline': 'You are offline. Codes are computed on this phone.',
    'notice.clock': 'This phone\'s clock is about {seconds} seconds off. Codes are corrected to the server\'s time, but please check the phone\'s time setting.',
  },
};

export const LANGUAGES = Object.freeze(Object.keys(texts));
const STORAGE_KEY = 'kagi.app.language';

/** The language to show: the one chosen, else the phone's, Japanese when unsure. */
export function chooseLanguage(chosen, phoneLanguages) {
  if (LANGUAGES.includes(chosen)) {
    return chosen;
  }
  for (const tag of phoneLanguages || []) {
    const primary = String(tag).toLowerCase().split('-')[0];
    if (primary === 'ja') {
      return 'ja';
    }
    if (primary === 'en') {
      return 'en';
    }
  }
  return 'ja';
}

let current = 'ja';

export function initialLanguage() {
  let chosen = null;
  try {
    chosen = globalThis.localStorage?.getItem(STORAGE_KEY);
  } catch (e) {
    chosen = null;
  }
  const phone = globalThis.navigator?.languages?.length ? navigator.languages : [globalThis.navigator?.language];
  current = chooseLanguage(chosen, phone);
  return current;
}

export function setLanguage(language) {
  current = chooseLanguage(language, []);
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, current);
  } catch (e) {
    // Private mode: the choice lasts for this page only.
  }
  return current;
}

export function language() {
  return current;
}

/** The text of a key in the current language, {name} placeholders filled from values. */
export function t(key, values = {}, lang = current) {
  const template = texts[lang][key] ?? texts.ja[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

/** Both dictionaries hold the same keys (checked by the tests). */
export function keys(lang) {
  return Object.keys(texts[lang]);
}

/** Fills every [data-i18n] element of a document or fragment with its text. */
export function translate(root) {
  root.querySelectorAll('[data-i18n]').forEach((element) => {
    element.textContent = t(element.dataset.i18n);
  });
}
