// What the phone keeps for working without a network: the outbox of writes not yet answered and the last known state of
// each list, in one IndexedDB database, and the service worker's caches (sw.js). Signing out clears all of it
// (clearOfflineState): the next person to pick up the phone sees nothing of the last one's work.
//
// The outbox. Every write of the field app (a visit, a check-in, a traveller, a suspected case) is put here first, with
// the idempotency key the API recognises (visitId, source record id, case id, the check-in's own time), and sent from
// here in the order it was made, whether the network is up or not. An item is one of:
//   waiting  not answered yet: no network, the server unavailable (5xx, 429) or the session to be renewed (401);
//   sent     the server recorded it (2xx; a resend after a lost answer is answered "duplicate" and records nothing);
//   refused  the server answered a problem (any other 4xx): kept with the problem's text for the worker to read, and the
//            items after it go on (one wrong item does not hold up the rest).
// Items are sent one at a time, oldest first, by one tab at a time (a Web Lock), and only under the account that made
// them. Reloading the page or closing the browser loses nothing: the items are in IndexedDB until sent or cleared.
export const DATABASE = 'epigrid';
/** The service worker's caches all start with this (sw.js). */
export const CACHE_PREFIX = 'epigrid-';
/** Sent and refused items are shown for a day, then dropped (a refused one is dropped once the worker dismisses it). */
const KEEP_ANSWERED_MS = 24 * 3600_000;

let opening = null;
function database() {
  opening ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
      db.createObjectStore('state', { keyPath: 'key' });
    };
    request.onsuccess = () => {
      const db = request.result;
      // Another tab deleting the database (a sign-out there): let it go, and open afresh next time.
      db.onversionchange = () => { db.close(); opening = null; };
      resolve(db);
    };
    request.onerror = () => { opening = null; reject(request.error); };
  });
  return opening;
}

async function run(store, mode, work) {
  const db = await database();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(store, mode);
    const result = work(tx.objectStore(store));
    tx.oncomplete = () => resolve(result instanceof IDBRequest ? result.result : result);
    tx.onerror = tx.onabort = () => reject(tx.error);
  });
}

/** The last known state under <key> ({ value, savedAt }), or null. */
export const loadState = key => run('state', 'readonly', s => s.get(key)).then(r => r ?? null);
/** Keeps <value> as the last known state under <key>, dated <savedAt> (the server's clock when it was read). */
export const saveState = (key, value, savedAt) => run('state', 'readwrite', s => s.put({ key, value, savedAt }));

/** Deletes the outbox, the last known state and the service worker's caches. Resolves when all are gone. */
export async function clearOfflineState() {
  const db = await opening?.catch(() => null);
  db?.close();
  opening = null;
  await new Promise(resolve => {
    const request = indexedDB.deleteDatabase(DATABASE);
    // Blocked: another tab has it open; the deletion completes when that tab closes it, and this one goes on.
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
  if ('caches' in self)
    for (const name of await caches.keys()) if (name.startsWith(CACHE_PREFIX)) await caches.delete(name);
}

/** Every item of <owner>'s outbox, oldest first. */
export async function outboxOf(owner) {
  const all = await run('outbox', 'readonly', s => s.getAll());
  return all.filter(i => i.owner === owner).sort((a, b) => a.seq - b.seq);
}

/**
 * The outbox of one account. `send(item)` performs an item's request (api.js's post); `onChange(items)` hears every
 * change of the list; `onSent(item, answer)` each item the server recorded.
 */
export class Outbox {
  constructor(owner, { send, onChange = () => {}, onSent = () => {} }) {
    Object.assign(this, { owner, send, onChange, onSent });
    this.timer = null;
    this.stopped = false;
    this.retryMs = 2000;
    this.online = () => this.flush();
    addEventListener('online', this.online);
  }

  /**
   * Puts a write in the outbox and starts sending. <item>: { kind, label, path, body, key, ref } (key: the idempotency key
   * the server knows it by; ref: what it answers, e.g. the alert a visit resolves). Resolves once the item is on the
   * phone (not when it is sent).
   */
  async add(item) {
    const stored = { ...item, owner: this.owner, state: 'waiting', createdAt: new Date().toISOString(), attempts: 0, problem: null };
    stored.seq = await run('outbox', 'readwrite', s => s.add(stored));
    await this.changed();
    this.flush();
    return stored;
  }

  async items() { return outboxOf(this.owner); }

  async changed() { if (!this.stopped) this.onChange(await this.items()); }

  /** Forgets a refused item the worker has read. */
  async dismiss(seq) {
    await run('outbox', 'readwrite', s => s.delete(seq));
    await this.changed();
  }

  /** Sends what waits, oldest first; stops at the first item the network or the server cannot take now, and tries again later. */
  flush() {
    if (this.stopped) return Promise.resolve();
    clearTimeout(this.timer);
    const drain = async () => {
      const now = Date.now();
      for (const item of await this.items()) {
        if (this.stopped) return;
        if (item.state !== 'waiting') {
          if (now - Date.parse(item.answeredAt ?? item.createdAt) > KEEP_ANSWERED_MS && item.state === 'sent')
            await run('outbox', 'readwrite', s => s.delete(item.seq));
          continue;
        }
        let outcome;
        try { outcome = { answer: await this.send(item) }; } catch (error) { outcome = { error }; }
        // Stopped meanwhile (the view is gone, perhaps signed out and its database deleted): write nothing back. The item
        // stays as it was and is sent again next time, which its key makes harmless.
        if (this.stopped) return;
        const { answer, error } = outcome;
        const status = error?.status;
        // No answer at all (network down: fetch's TypeError), the server not able now, or a session to renew: later, in order.
        if (error && (status === undefined || status === 401 || status === 408 || status === 429 || status >= 500)) {
          item.attempts++;
          item.lastTry = new Date().toISOString();
          await run('outbox', 'readwrite', s => s.put(item));
          await this.changed();
          this.later();
          return;
        }
        item.state = error ? 'refused' : 'sent';
        item.answeredAt = new Date().toISOString();
        item.problem = error ? problemText(error) : null;
        item.answer = error ? null : answer;
        // What was sent is on the server: the phone keeps no identity number or reading of it (only its label and answer).
        if (!error) item.body = null;
        await run('outbox', 'readwrite', s => s.put(item));
        this.retryMs = 2000;
        if (!error) this.onSent(item, answer);
        await this.changed();
      }
    };
    // One tab sends at a time: two tabs draining together would send an item twice (harmless, by its key) and out of order.
    this.flushing = (navigator.locks ? navigator.locks.request('epigrid-outbox', drain) : drain()).catch(() => this.later());
    return this.flushing;
  }

  later() {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.retryMs);
    this.retryMs = Math.min(30_000, this.retryMs * 2);
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    removeEventListener('online', this.online);
  }
}

/** A problem's text as the worker reads it: each field at fault with its messages, or else the problem's detail. */
export function problemText(error) {
  const fields = Object.entries(error.problem?.errors ?? {}).map(([field, messages]) => `${field}: ${[].concat(messages).join(' ')}`);
  return fields.length ? fields.join(' · ') : error.message;
}
