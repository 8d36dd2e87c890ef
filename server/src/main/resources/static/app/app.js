/**
 * The token app's screens: 初期設定 (TAP001), 設定完了 (TAP002), the codes (TAP003), 設定 with
 * トークン追加 and removal (TAP004). Everything after activation runs on the phone, offline too.
 */

import { activate, status } from './activation.js';
import { totp, secondsLeft, stepAt } from './totp.js';
import { listTokens, addToken, updateToken, removeToken, findToken, persist, persisted, MAX_TOKENS } from './store.js';
import { initialLanguage, setLanguage, language, t, translate } from './i18n.js';
import { fetchPending, answer as answerSigning, offlineCode } from './signing.js';

/** Warn when the phone's clock is further than this from the server's (half a 60 s step). */
const CLOCK_WARNING_MILLIS = 30_000;
/** Ask the authority for the time this often while the codes are shown (and at start, online, on return). */
const RESYNC_MILLIS = 5 * 60_000;
/** Ask the authority for transactions waiting for this phone this often while the app is shown. */
const SIGNING_POLL_MILLIS = 3_000;
/** A jump of the phone's clock against the monotonic clock larger than this means it was set. */
const CLOCK_JUMP_MILLIS = 2_000;
const SERVICE_ID = /^[0-9]{8}$/;
const USER_ID = /^[0-9]{6}$/;
const PASSWORD = /^[0-9]{4,8}$/;

const $ = (id) => document.getElementById(id);

const state = {
  tokens: [],
  screen: 'loading',
  setupMode: 'first',
  lastActivated: null,
  renderedSteps: new Map(),
  timer: null,
  removing: null,
  replacing: null,
  resyncTimer: null,
  wallMinusMonotonic: null,
};

function show(screen) {
  state.screen = screen;
  document.querySelectorAll('main > .screen').forEach((section) => {
    section.hidden = section.id !== screen;
  });
  const section = $(screen);
  $('screen-id').textContent = section.dataset.screenId || '';
  if (screen === 'setup') {
    $('screen-id').textContent = state.setupMode === 'add' ? 'TAP005' : 'TAP001';
  }
  $('back').hidden = !(screen === 'settings' || screen === 'signing' || screen === 'offline-sign'
    || (screen === 'setup' && state.setupMode === 'add'));
  if (screen === 'codes') {
    renderCodes();
  } else {
    stopTicking();
  }
  if (screen === 'settings') {
    renderSettings();
  }
  if (screen === 'signing') {
    renderSigning();
  }
  if (screen === 'offline-sign') {
    renderOfflineSign();
  }
  window.scrollTo(0, 0);
}

// ---- 初期設定 / トークン追加 -------------------------------------------------------------

function openSetup(mode) {
  state.setupMode = mode;
  $('setup-form').reset();
  clearSetupErrors();
  $('setup-heading').textContent = t(mode === 'add' ? 'setup.addHeading' : 'setup.heading');
  $('setup-cancel').hidden = mode !== 'add';
  show('setup');
  $('service-id').focus();
}

function clearSetupErrors() {
  $('setup-error').hidden = true;
  for (const field of ['service-id', 'user-id', 'password']) {
    $(`${field}-error`).hidden = true;
  }
  ['service-id', 'user-id', 'activation-password'].forEach((id) => {
    $(id).classList.remove('invalid');
    $(id).removeAttribute('aria-invalid');
  });
}

function fieldError(inputId, errorId, key) {
  $(inputId).classList.add('invalid');
  $(inputId).setAttribute('aria-invalid', 'true');
  $(errorId).textContent = t(key);
  $(errorId).hidden = false;
}

function setupError(text) {
  $('setup-error').textContent = text;
  $('setup-error').hidden = false;
  $('setup-error').focus?.();
}

function normalizeDigits(value) {
  // Full-width digits typed on a Japanese keyboard are taken as half-width.
  return value.trim().replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

function problemText(outcome, serviceId) {
  switch (outcome.reason) {
    case 'wrong-activation-password':
      return outcome.attemptsLeft !== undefined
        ? t('error.wrongPassword', { attemptsLeft: outcome.attemptsLeft })
        : t('error.wrongPasswordNoCount');
    case 'activation-voided': return t('error.voided');
    case 'activation-expired': return t('error.expired');
    case 'already-activated': return t('error.alreadyActivated');
    case 'token-not-found': return t('error.unknown');
    case 'too-many-requests': return t('error.tooMany');
    case 'offline': return t('error.offline');
    case 'server-proof': return t('error.serverProof');
    case 'duplicate': return t('error.duplicate', { serviceId });
    case 'full': return t('error.full', { max: MAX_TOKENS });
    case 'storage': return t('error.storage');
    case 'invalid-request': return t('error.unknown');
    case 'activation-session-expired': return t('error.sessionExpired');
    case 'answer-altered': return t('error.answerAltered');
    case 'update-required': return t('error.updateRequired');
    case 'clock-off': return t(outcome.spent ? 'error.clockOffSpent' : 'error.clockOff',
      { minutes: Math.max(1, Math.round(Math.abs(outcome.offsetMillis) / 60_000)) });
    default: return t('error.server');
  }
}

async function submitSetup(event) {
  event.preventDefault();
  clearSetupErrors();
  const serviceId = normalizeDigits($('service-id').value);
  const userId = normalizeDigits($('user-id').value);
  const password = normalizeDigits($('activation-password').value);
  let valid = true;
  if (!SERVICE_ID.test(serviceId)) {
    fieldError('service-id', 'service-id-error', 'invalid.serviceId');
    valid = false;
  }
  if (!USER_ID.test(userId)) {
    fieldError('user-id', 'user-id-error', 'invalid.userId');
    valid = false;
  }
  if (!PASSWORD.test(password)) {
    fieldError('activation-password', 'password-error', 'invalid.password');
    valid = false;
  }
  if (!valid) {
    return;
  }
  // One token of a service per phone, at most MAX_TOKENS: refused before anything is sent,
  // so a second activation cannot spend the issued token.
  const existing = await findToken(serviceId);
  if (existing && state.replacing !== serviceId) {
    if (existing.state && existing.state !== 'active') {
      // Re-issue after the old token ended: offer to replace it.
      askReplace(existing);
      return;
    }
    setupError(problemText({ reason: 'duplicate' }, serviceId));
    return;
  }
  if ((await listTokens()).length >= MAX_TOKENS) {
    setupError(problemText({ reason: 'full' }));
    return;
  }
  if (navigator.onLine === false) {
    setupError(problemText({ reason: 'offline' }));
    return;
  }
  const button = $('setup-submit');
  button.disabled = true;
  button.textContent = t('action.sending');
  try {
    const outcome = await activate(serviceId, userId, password);
    if (!outcome.ok) {
      setupError(problemText(outcome, serviceId));
      if (outcome.reason === 'wrong-activation-password') {
        $('activation-password').value = '';
      }
      return;
    }
    let added;
    try {
      if (existing && state.replacing === serviceId) {
        await removeToken(serviceId);
      }
      added = await addToken(outcome.token);
    } catch (e) {
      added = 'storage';
    }
    if (added !== 'added') {
      setupError(problemText({ reason: added }, serviceId));
      return;
    }
    await persist();
    state.tokens = await listTokens();
    state.lastActivated = outcome.token;
    $('done-message').textContent = t('done.message', { serviceName: outcome.token.serviceName });
    show('done');
  } catch (e) {
    setupError(problemText({ reason: 'server' }));
  } finally {
    state.replacing = null;
    button.disabled = false;
    button.textContent = t('action.send');
  }
}

function askReplace(token) {
  state.removing = token;
  state.replacing = token.serviceId;
  $('remove-title').textContent = t('replace.heading');
  $('remove-confirm').textContent = t('action.replace');
  $('remove-message').textContent = t('replace.message', { serviceName: token.serviceName, serviceId: token.serviceId,
    state: t(`state.${token.state}`) });
  $('remove-dialog').showModal();
}

// ---- The codes -------------------------------------------------------------------------

function correctedNow(token) {
  return Date.now() + (token.clockOffsetMillis || 0);
}

/**
 * Asks the authority for the time and each token's state under the token's status key; applies
 * the offset it measures (so a clock the customer fixed is no longer corrected) and the state.
 */
async function resync() {
  if (navigator.onLine === false) {
    return;
  }
  let changed = false;
  for (const token of state.tokens) {
    let answer = null;
    try {
      answer = await status(token);
    } catch (e) {
      answer = null;
    }
    if (!answer) {
      continue;
    }
    token.clockOffsetMillis = answer.clockOffsetMillis;
    token.clockCheckedAt = answer.checkedAt;
    token.state = answer.state;
    try {
      await updateToken(token);
    } catch (e) {
      // Kept in memory; measured again next time.
    }
    changed = true;
  }
  state.wallMinusMonotonic = Date.now() - performance.now();
  if (changed && state.screen === 'codes') {
    renderCodes();
  }
}

function scheduleResync() {
  clearInterval(state.resyncTimer);
  state.resyncTimer = setInterval(() => {
    if (state.screen === 'codes') {
      resync();
    }
  }, RESYNC_MILLIS);
}

/**
 * Notices when the phone's clock was set (its wall clock jumped against the monotonic clock):
 * online, the authority is asked again at once; offline, the correction moves by the same amount
 * the other way, so a clock the customer fixed is not corrected twice.
 */
function watchClock() {
  const wallMinusMonotonic = Date.now() - performance.now();
  if (state.wallMinusMonotonic === null) {
    state.wallMinusMonotonic = wallMinusMonotonic;
    return;
  }
  const jump = wallMinusMonotonic - state.wallMinusMonotonic;
  if (Math.abs(jump) <= CLOCK_JUMP_MILLIS) {
    return;
  }
  state.wallMinusMonotonic = wallMinusMonotonic;
  if (navigator.onLine !== false) {
    // The authority measures it exactly (and is not fooled if both clocks moved).
    resync();
    return;
  }
  for (const token of state.tokens) {
    token.clockOffsetMillis = (token.clockOffsetMillis || 0) - jump;
    updateToken(token).catch(() => {});
  }
  state.renderedSteps.clear();
  renderClockWarning();
}

function renderTokenState(card, token) {
  const ended = token.state && token.state !== 'active';
  const box = card.querySelector('.token-state');
  box.hidden = !ended;
  card.classList.toggle('ended', Boolean(ended));
  if (ended) {
    box.querySelector('.token-state-text').textContent = t(`state.${token.state}.card`, { serviceName: token.serviceName });
    const remove = box.querySelector('.remove-ended');
    remove.textContent = t('action.remove');
    remove.onclick = () => askRemove(token);
  }
}

function renderClockWarning() {
  const worst = state.tokens.reduce((max, token) => Math.max(max, Math.abs(token.clockOffsetMillis || 0)), 0);
  const warning = $('clock-warning');
  if (worst > CLOCK_WARNING_MILLIS && state.screen === 'codes') {
    warning.textContent = t('notice.clock', { seconds: Math.round(worst / 1000) });
    warning.hidden = false;
  } else {
    warning.hidden = true;
  }
}

function renderCodes() {
  const list = $('code-list');
  list.replaceChildren();
  state.renderedSteps.clear();
  const template = $('code-card');
  for (const token of state.tokens) {
    const card = template.content.firstElementChild.cloneNode(true);
    card.dataset.serviceId = token.serviceId;
    card.querySelector('.service-name').textContent = token.serviceName;
    card.querySelector('.ids').textContent = t('codes.ids', { serviceId: token.serviceId, userId: token.userId });
    card.querySelector('.countdown-bar').max = token.period;
    card.querySelector('.code-button').addEventListener('click', () => copyCode(card));
    renderTokenState(card, token);
    list.append(card);
  }
  renderClockWarning();
  tick();
}

function formatCode(code) {
  // 123456 → "123 456" for reading; the copied text has no space.
  return code.length === 6 ? `${code.slice(0, 3)} ${code.slice(3)}` : code.length === 8 ? `${code.slice(0, 4)} ${code.slice(4)}` : code;
}

async function tick() {
  stopTicking();
  if (state.screen !== 'codes') {
    return;
  }
  watchClock();
  const cards = $('code-list').children;
  await Promise.all(state.tokens.map(async (token, index) => {
    const card = cards[index];
    if (!card) {
      return;
    }
    const now = correctedNow(token);
    const step = stepAt(now, token.period);
    const left = secondsLeft(now, token.period);
    if (state.renderedSteps.get(token.serviceId) !== step) {
      const code = await totp(token.key, token, now);
      state.renderedSteps.set(token.serviceId, step);
      card.dataset.code = code;
      card.querySelector('.code').textContent = formatCode(code);
    }
    card.querySelector('.countdown').textContent = t('codes.secondsLeft', { seconds: left });
    card.querySelector('.countdown-bar').value = left;
    card.querySelector('.countdown-row').classList.toggle('ending', left <= 10);
    card.querySelector('.code-button').setAttribute('aria-label',
      t('codes.label', { serviceName: token.serviceName, code: card.dataset.code, seconds: left }));
  }));
  // Wake at the next whole second of the clock.
  state.timer = setTimeout(tick, 1000 - (Date.now() % 1000) + 5);
}

function stopTicking() {
  if (state.timer) {
    clearTimeout(state.timer);
    state.timer = null;
  }
}

async function copyCode(card) {
  const code = card.dataset.code;
  if (!code) {
    return;
  }
  try {
    await navigator.clipboard.writeText(code);
    toast(t('codes.copied'));
  } catch (e) {
    toast(t('codes.copyFailed'));
  }
}

let toastTimer = null;
function toast(text) {
  const element = $('toast');
  element.textContent = text;
  element.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    element.hidden = true;
  }, 2000);
}

// ---- 設定 ------------------------------------------------------------------------------

async function renderSettings() {
  const list = $('token-list');
  list.replaceChildren();
  const template = $('token-row');
  for (const token of state.tokens) {
    const row = template.content.firstElementChild.cloneNode(true);
    row.dataset.serviceId = token.serviceId;
    row.querySelector('.service-name').textContent = token.serviceName;
    row.querySelector('.ids').textContent = t('codes.ids', { serviceId: token.serviceId, userId: token.userId });
    const remove = row.querySelector('.remove');
    remove.textContent = t('action.remove');
    remove.setAttribute('aria-label', `${t('action.remove')}: ${token.serviceName}`);
    remove.addEventListener('click', () => askRemove(token));
    list.append(row);
  }
  $('token-count').textContent = t('settings.count', { count: state.tokens.length, max: MAX_TOKENS });
  $('add-token').disabled = state.tokens.length >= MAX_TOKENS;
  $('lang-ja').setAttribute('aria-pressed', String(language() === 'ja'));
  $('lang-en').setAttribute('aria-pressed', String(language() === 'en'));
  $('storage-note').textContent = t((await persisted()) ? 'settings.persisted' : 'settings.notPersisted');
}

function askRemove(token) {
  state.removing = token;
  state.replacing = null;
  $('remove-title').textContent = t('remove.heading');
  $('remove-confirm').textContent = t('action.remove');
  $('remove-message').textContent = t('remove.message', { serviceName: token.serviceName, serviceId: token.serviceId });
  $('settings-message').hidden = true;
  $('remove-dialog').showModal();
}

async function closeRemoveDialog() {
  const token = state.removing;
  state.removing = null;
  if (state.replacing) {
    if ($('remove-dialog').returnValue === 'remove' && token) {
      // Replace: activate the new token; the old one is removed once the new one is activated.
      $('setup-form').requestSubmit();
    } else {
      state.replacing = null;
    }
    return;
  }
  if ($('remove-dialog').returnValue !== 'remove' || !token) {
    return;
  }
  await removeToken(token.serviceId);
  state.tokens = await listTokens();
  if (state.tokens.length === 0) {
    openSetup('first');
    return;
  }
  await renderSettings();
  $('settings-message').textContent = t('settings.removed', { serviceName: token.serviceName });
  $('settings-message').hidden = false;
}

function applyLanguage(lang) {
  setLanguage(lang);
  document.documentElement.lang = language();
  translate(document);
  if (state.screen === 'setup') {
    $('setup-heading').textContent = t(state.setupMode === 'add' ? 'setup.addHeading' : 'setup.heading');
  }
  if (state.screen === 'settings') {
    renderSettings();
  }
}

// ---- 取引認証 (docs/transaction-signing.md) ------------------------------------------------

/**
 * Asks the authority, under each token's status key, for the transactions waiting for this
 * phone; when there are some, shows them (TAP006) instead of the codes.
 */
async function checkSigning() {
  if (navigator.onLine === false || state.checkingSigning) {
    return;
  }
  state.checkingSigning = true;
  try {
    const pending = [];
    for (const token of state.tokens) {
      if (!token.statusKey || (token.state && token.state !== 'active')) {
        continue;
      }
      let requests = null;
      try {
        requests = await fetchPending(token);
      } catch (e) {
        requests = null;
      }
      (requests || []).forEach((request) => pending.push({ token, request }));
    }
    const before = (state.signing || []).map((item) => item.request.reference).join(',');
    state.signing = pending;
    const after = pending.map((item) => item.request.reference).join(',');
    if (pending.length > 0 && state.screen === 'codes') {
      show('signing');
    } else if (state.screen === 'signing' && before !== after) {
      renderSigning();
    }
  } finally {
    state.checkingSigning = false;
  }
}

function scheduleSigning() {
  clearInterval(state.signingTimer);
  state.signingTimer = setInterval(() => {
    if (document.visibilityState === 'visible' && (state.screen === 'codes' || state.screen === 'signing')) {
      checkSigning();
    }
  }, SIGNING_POLL_MILLIS);
}

function formatAmount(amount) {
  return Number(amount).toLocaleString('ja-JP');
}

function renderSigning() {
  const list = $('signing-list');
  list.replaceChildren();
  const template = $('signing-card');
  for (const { token, request } of state.signing || []) {
    const card = template.content.firstElementChild.cloneNode(true);
    translate(card);
    const shown = request.fields;
    card.dataset.reference = request.reference;
    card.querySelector('.signing-purpose').textContent = shown.purpose;
    card.querySelector('.signing-payee').textContent = t('signing.bankBranch', { bank: shown.bank, branch: shown.branch });
    card.querySelector('.signing-account').textContent = `${shown.type} ${shown.account}`;
    card.querySelector('.signing-name').textContent = shown.name;
    const hasAmount = shown.amount !== '';
    card.querySelector('.signing-amount-label').hidden = !hasAmount;
    card.querySelector('.signing-amount').hidden = !hasAmount;
    card.querySelector('.signing-amount').textContent = hasAmount ? t('signing.yen', { amount: formatAmount(shown.amount) }) : '';
    card.querySelector('.signing-service').textContent = t('signing.service', { serviceName: token.serviceName, userId: token.userId });
    card.querySelector('.signing-approve').addEventListener('click', () => decide(card, token, request, 'approve'));
    card.querySelector('.signing-deny').addEventListener('click', () => decide(card, token, request, 'deny'));
    list.append(card);
  }
}

async function decide(card, token, request, decision) {
  card.querySelectorAll('button').forEach((button) => {
    button.disabled = true;
  });
  const outcome = await answerSigning(token, request, decision, correctedNow(token));
  const message = $('signing-message');
  message.classList.toggle('ok', outcome.ok);
  message.classList.toggle('error', !outcome.ok);
  message.textContent = outcome.ok ? t(decision === 'approve' ? 'signing.approved' : 'signing.denied')
    : t('signing.failed', { reason: outcome.reason });
  message.hidden = false;
  state.signing = (state.signing || []).filter((item) => item.request.reference !== request.reference);
  card.remove();
}

function renderOfflineSign() {
  const select = $('offline-token');
  select.replaceChildren();
  for (const token of state.tokens) {
    const option = document.createElement('option');
    option.value = token.serviceId;
    option.textContent = `${token.serviceName} (${token.serviceId})`;
    select.append(option);
  }
  $('offline-token-field').hidden = state.tokens.length < 2;
  $('offline-result').hidden = true;
  $('offline-account').value = '';
  $('offline-amount').value = '';
}

async function submitOfflineSign(event) {
  event.preventDefault();
  const account = normalizeDigits($('offline-account').value.trim());
  const amount = normalizeDigits($('offline-amount').value.trim().replace(/[,，円]/g, ''));
  $('offline-account-error').hidden = /^[0-9]{1,20}$/.test(account);
  $('offline-account-error').textContent = t('offline.invalidAccount');
  $('offline-amount-error').hidden = amount === '' || /^[0-9]{1,20}$/.test(amount);
  $('offline-amount-error').textContent = t('offline.invalidAmount');
  if (!$('offline-account-error').hidden || !$('offline-amount-error').hidden) {
    $('offline-result').hidden = true;
    return;
  }
  const token = state.tokens.find((candidate) => candidate.serviceId === $('offline-token').value) || state.tokens[0];
  const code = await offlineCode(token, account, amount, correctedNow(token));
  $('offline-summary').textContent = t('offline.summary', { account,
    amount: amount === '' ? t('offline.noAmount') : t('signing.yen', { amount: formatAmount(amount) }) });
  $('offline-code').textContent = code;
  $('offline-result').hidden = false;
}

// ---- Start -------------------------------------------------------------------------------

function updateOnline() {
  $('offline').hidden = navigator.onLine !== false;
}

async function start() {
  initialLanguage();
  document.documentElement.lang = language();
  translate(document);

  $('setup-form').addEventListener('submit', submitSetup);
  $('setup-cancel').addEventListener('click', () => show('settings'));
  $('done-next').addEventListener('click', () => show('codes'));
  $('open-settings').addEventListener('click', () => show('settings'));
  $('settings-done').addEventListener('click', () => show('codes'));
  $('add-token').addEventListener('click', () => openSetup('add'));
  $('back').addEventListener('click', () => (state.screen === 'setup' ? show('settings') : show('codes')));
  $('remove-dialog').addEventListener('close', closeRemoveDialog);
  $('lang-ja').addEventListener('click', () => applyLanguage('ja'));
  $('lang-en').addEventListener('click', () => applyLanguage('en'));
  $('open-offline-sign').addEventListener('click', () => show('offline-sign'));
  $('signing-close').addEventListener('click', () => show('codes'));
  $('signing-offline').addEventListener('click', () => show('offline-sign'));
  $('offline-form').addEventListener('submit', submitOfflineSign);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && state.tokens.length > 0) {
      checkSigning();
    }
  });
  window.addEventListener('online', () => {
    updateOnline();
    resync();
  });
  window.addEventListener('offline', updateOnline);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && state.screen === 'codes') {
      tick();
      resync();
    }
  });
  updateOnline();

  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('sw.js', { scope: './' }).catch(() => {
      // Without a service worker the app still works online.
    });
  }

  try {
    state.tokens = await listTokens();
  } catch (e) {
    state.tokens = [];
  }
  if (state.tokens.length === 0) {
    openSetup('first');
  } else {
    show('codes');
  }
  document.body.dataset.ready = 'true';
  scheduleResync();
  resync().finally(() => {
    document.body.dataset.synced = 'true';
  });
  scheduleSigning();
  if (state.tokens.length > 0) {
    checkSigning();
  }
}

start();
