// What the phone keeps for working without a network: the outbox of writes not yet answered and the last known state of
// each list, in one IndexedDB database, and the service worker's caches. Signing out clears all of it
// (clearOfflineState): the next person to pick up the phone sees nothing of the last one's work.
export const DATABASE = 'epigrid';
/** The service worker's caches all start with this (sw.js). */
export const CACHE_PREFIX = 'epigrid-';

/** Deletes the outbox, the last known state and the service worker's caches. Resolves when all are gone. */
export async function clearOfflineState() {
  await new Promise(resolve => {
    const request = indexedDB.deleteDatabase(DATABASE);
    // Blocked: another tab has it open; the deletion completes when that tab closes it, and this one goes on.
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
  if ('caches' in self)
    for (const name of await caches.keys()) if (name.startsWith(CACHE_PREFIX)) await caches.delete(name);
}
