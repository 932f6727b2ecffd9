// The signed-in user, in one of two ways. People sign in at the deployment's OpenID Connect provider (authorization code
// flow with PKCE through oidc-client-ts, lib/oidc-client-ts-3.5.0.min.js, the global `oidc`), and the access token is
// renewed with the refresh token before it expires. Operators may paste a bearer token instead (and the local profile's
// picker mints one); that token lives in this tab's session storage and is not renewed. The claims read from the token
// are never trusted for security: the server checks every call; the claims only choose the view.
import { clearOfflineState } from './offline.js';

const KEY = 'epigrid.token';
/** Renew when this share of the token's lifetime is left, but no earlier than a minute before it expires. */
const RENEW_AT_SHARE_LEFT = 0.25, RENEW_AT_MOST_BEFORE = 60;
const RETRY_AFTER = 15_000;

let manager = null; // oidc.UserManager, once the server named a provider (publicMap.signIn)
let user = null; // the provider's user: access token, refresh token, expiry
let renewTimer = null, renewing = null;
const renewedListeners = new Set();

/** The current access token, synchronously: the provider's (even expired: its renewal may be under way) or the pasted one. */
export const token = () => user?.access_token ?? sessionStorage.getItem(KEY);

/** The pasted (or development) token; it replaces a provider's user. */
export function signIn(t) {
  sessionStorage.setItem(KEY, t.trim());
  if (user) { user = null; clearTimeout(renewTimer); manager.removeUser(); }
}

/** Whether the web app can send people to a provider (the server configured Auth:Client). */
export const hasProvider = () => manager !== null;

/** Hears each renewed token (e.g. the hub connection, which the server closes when its token expires). Returns "stop listening". */
export function onTokenRenewed(listener) {
  renewedListeners.add(listener);
  return () => renewedListeners.delete(listener);
}

/**
 * Before the first view: sets up the provider's client when the server names one, completes a sign-in the provider
 * redirected back with (?code=&state=, on '/': the service worker serves '/' for any navigation and the query stays in
 * the address), and renews a token that expired while the phone was away.
 */
export async function startSession(config) {
  if (!config || typeof oidc === 'undefined') return;
  const home = location.origin + '/';
  manager = new oidc.UserManager({
    authority: config.authority, client_id: config.clientId, scope: config.scope,
    redirect_uri: home, post_logout_redirect_uri: home, response_type: 'code',
    // Local storage, not this tab's session storage: a grid worker's phone closes the browser, and the outbox must still
    // send when it is opened again. Sign-out deletes it (signOut).
    userStore: new oidc.WebStorageStateStore({ store: localStorage }),
    automaticSilentRenew: false, // renewal is timed here (scheduleRenewal), with retries while the phone is offline
    monitorSession: false,
  });
  const query = new URLSearchParams(location.search);
  if (query.has('state') && (query.has('code') || query.has('error'))) {
    try { user = await manager.signinRedirectCallback(location.href); }
    catch (error) { console.warn('sign-in failed', error); }
    history.replaceState(null, '', '/'); // a reload must not redeem the code again
  } else if (query.has('state')) {
    await manager.signoutRedirectCallback(location.href).catch(() => {}); // back from the provider's sign-out
    history.replaceState(null, '', '/');
  } else {
    user = await manager.getUser();
  }
  if (user && !user.refresh_token && user.expired) { await manager.removeUser(); user = null; }
  if (user?.expired) await renew().catch(() => {}); // offline: the claims still choose the view, renewal retries
  scheduleRenewal();
  addEventListener('online', () => { if (user?.expired) renew().catch(() => {}); });
}

/** Sends the browser to the provider's sign-in page; it comes back to '/' with a code. */
export const signInWithProvider = lang => manager.signinRedirect({ ui_locales: lang === 'zh' ? 'zh-CN zh en' : 'en' });

/** The token to send now: renewed first when it is about to expire (a hub reconnecting after the phone slept). */
export async function freshToken() {
  if (user?.refresh_token && user.expires_at * 1000 - Date.now() < 5_000) await renew().catch(() => {});
  return token();
}

function renew() {
  renewing ??= manager.getUser()
    .then(stored => {
      // The user is stored once for every tab of this browser: another tab may have signed out, or renewed already.
      if (!stored?.refresh_token) throw { error: 'signed_out' };
      if (stored.access_token !== user?.access_token && stored.expires_in > margin(stored)) return stored;
      return manager.signinSilent(); // with the stored refresh token: a POST to the token endpoint, no iframe
    })
    .then(renewed => {
      user = renewed;
      scheduleRenewal();
      for (const listener of renewedListeners) listener();
    })
    .catch(async error => {
      // Signed out in another tab, or the provider refused the refresh token (revoked, expired, the account disabled):
      // the session is over.
      if (error?.error === 'invalid_grant' || error?.error === 'signed_out') { await manager.removeUser(); user = null; location.assign('/#signin'); return; }
      clearTimeout(renewTimer);
      renewTimer = setTimeout(() => renew().catch(() => {}), RETRY_AFTER); // offline or the provider away: try again
      throw error;
    })
    .finally(() => { renewing = null; });
  return renewing;
}

/** Seconds before expiry to renew at. The lifetime (exp - iat) is a difference, so a phone's wrong clock does not matter. */
function margin(u) {
  const c = payload(u.access_token);
  const lifetime = c?.exp && c?.iat ? c.exp - c.iat : u.expires_in;
  return Math.min(RENEW_AT_MOST_BEFORE, lifetime * RENEW_AT_SHARE_LEFT);
}

function scheduleRenewal() {
  clearTimeout(renewTimer);
  if (!user?.refresh_token || !user.expires_at) return;
  // expires_at is this phone's clock at receipt plus expires_in, so a phone whose clock is wrong still renews in time.
  const due = Math.max(0, (user.expires_at - margin(user)) * 1000 - Date.now());
  renewTimer = setTimeout(() => renew().catch(() => {}), due);
}

/**
 * Signs out on this phone: the outbox, the last known state and the service worker's caches first (clearOfflineState),
 * then the provider's user (its refresh token revoked when the provider can) and the pasted token. Then the provider's
 * own session ends too (its end-session endpoint), so the next person to pick up the phone is asked who they are; it
 * comes back to '/'.
 */
export async function signOut() {
  clearTimeout(renewTimer);
  const signedIn = user;
  user = null;
  await clearOfflineState();
  sessionStorage.removeItem(KEY);
  if (manager) {
    if (signedIn?.refresh_token) await manager.revokeTokens(['refresh_token']).catch(() => {});
    await manager.removeUser();
    if (signedIn) {
      try { await manager.signoutRedirect({ id_token_hint: signedIn.id_token }); return; }
      catch { /* the provider has no end-session endpoint: home below */ }
    }
  }
  location.href = '/';
}

function payload(t) {
  try {
    const json = atob(t.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'));
    return JSON.parse(decodeURIComponent([...json].map(ch => '%' + ch.charCodeAt(0).toString(16).padStart(2, '0')).join('')));
  } catch { return null; }
}

export function claims() {
  const t = token();
  if (!t) return null;
  const c = payload(t);
  // A pasted token that expired is dropped; the provider's is renewed (and, offline, still chooses the view).
  if (!c || (!user && c.exp && c.exp * 1000 < Date.now())) { sessionStorage.removeItem(KEY); return null; }
  const cells = c.cell == null ? [] : [].concat(c.cell);
  return { sub: c.sub, role: c.role, county: c.county ?? null, cells };
}
