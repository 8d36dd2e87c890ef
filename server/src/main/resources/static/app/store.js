/**
 * The tokens on this phone, in IndexedDB (database "kagi-token", store "tokens", one record a
 * サービスID). A record holds the seed as a WebCrypto HMAC CryptoKey that is not extractable:
 * IndexedDB keeps a CryptoKey by structured clone, extractable flag included, so no script can
 * read the seed back; it can only ask the browser to sign with it.
 *
 * Record: { serviceId, userId, serviceName, algorithm, digits, period, clockOffsetMillis,
 *           clockCheckedAt, activatedAt, state, key, statusKey } (statusKey, a non-extractable
 *           HMAC key too, and state only for tokens activated with protocol version 2)
 */

const DATABASE = 'kagi-token';
const VERSION = 1;
const TOKENS = 'tokens';

/** At most this many tokens on one phone. */
export const MAX_TOKENS = 10;

let opened = null;

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function open() {
  if (!opened) {
    opened = new Promise((resolve, reject) => {
      const req = indexedDB.open(DATABASE, VERSION);
      req.onupgradeneeded = () => {
        const db = req.result;
        if (!db.objectStoreNames.contains(TOKENS)) {
          db.createObjectStore(TOKENS, { keyPath: 'serviceId' });
        }
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
      req.onblocked = () => reject(new Error('The token database is blocked by another tab'));
    });
    opened.catch(() => {
      opened = null;
    });
  }
  return opened;
}

async function withStore(mode, work) {
  const db = await open();
  const transaction = db.transaction(TOKENS, mode);
  const result = await work(transaction.objectStore(TOKENS));
  await new Promise((resolve, reject) => {
    transaction.oncomplete = resolve;
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error || new Error('aborted'));
  });
  return result;
}

/** Every token, in the order they were activated. */
export async function listTokens() {
  const all = await withStore('readonly', (store) => request(store.getAll()));
  return all.sort((a, b) => a.activatedAt - b.activatedAt);
}

export async function findToken(serviceId) {
  const found = await withStore('readonly', (store) => request(store.get(serviceId)));
  return found ?? null;
}

/** Outcome of adding: 'added', 'duplicate' (a token of this service is here) or 'full'. */
export async function addToken(record) {
  return withStore('readwrite', async (store) => {
    const existing = await request(store.get(record.serviceId));
    if (existing) {
      return 'duplicate';
    }
    const count = await request(store.count());
    if (count >= MAX_TOKENS) {
      return 'full';
    }
    await request(store.add(record));
    return 'added';
  });
}

/** Writes a token that is already here again (its clock offset or state changed). */
export async function updateToken(record) {
  await withStore('readwrite', (store) => request(store.put(record)));
}

export async function removeToken(serviceId) {
  await withStore('readwrite', (store) => request(store.delete(serviceId)));
}

/** Asks the browser to keep the tokens when it runs short of space; answers whether it will. */
export async function persist() {
  if (!globalThis.navigator?.storage?.persist) {
    return false;
  }
  try {
    return (await navigator.storage.persisted()) || (await navigator.storage.persist());
  } catch (e) {
    return false;
  }
}

export async function persisted() {
  try {
    return Boolean(await globalThis.navigator?.storage?.persisted?.());
  } catch (e) {
    return false;
  }
}
