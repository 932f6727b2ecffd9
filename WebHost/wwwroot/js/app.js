// EpiGrid's web app: one page, a view per role. /public (and / before sign-in) is the public map; after sign-in
// the token's role chooses the view: officials the map, grid workers the inbox, auditors the replay; officials and
// auditors also have the charts and the line list.
import { t, setLang, currentLang, onLangChange } from './i18n.js';
import { get } from './api.js';
import { claims, signOut, startSession } from './session.js';
import { loadState, saveState, outboxOf } from './offline.js';
import { publicView } from './views/public.js';
import { signInView } from './views/signin.js';
import { officialView } from './views/official.js';
import { inboxView } from './views/inbox.js';
import { replayView } from './views/replay.js';
import { chartsView } from './views/charts.js';
import { lineListView } from './views/lineList.js';

const VIEWS = {
  map: { view: officialView, roles: ['county-official', 'province-official', 'admin'] },
  inbox: { view: inboxView, roles: ['grid-worker'] },
  replay: { view: replayView, roles: ['auditor', 'province-official', 'admin'] },
  charts: { view: chartsView, roles: ['county-official', 'province-official', 'auditor', 'admin'] },
  cases: { view: lineListView, roles: ['county-official', 'province-official', 'auditor', 'admin'] },
};
const HOME = { 'grid-worker': 'inbox', 'county-official': 'map', 'province-official': 'map', admin: 'map', auditor: 'replay' };

const main = document.getElementById('main');
const bannerBox = document.getElementById('banner');
let dispose = null, publicMapPromise = null;

function connection(state, n) {
  document.body.dataset.connection = state;
  if (state === 'reconnecting' || state === 'closed') {
    bannerBox.hidden = false;
    bannerBox.className = 'banner down';
    bannerBox.textContent = t(state === 'closed' ? 'offline' : 'reconnecting');
  } else if (state === 'caught-up') {
    bannerBox.hidden = false;
    bannerBox.className = 'banner up';
    bannerBox.textContent = t('reconnected', { n });
    setTimeout(() => { if (document.body.dataset.connection === 'caught-up') bannerBox.hidden = true; }, 3000);
  } else if (state === 'connected' || state === 'reconnected') {
    if (bannerBox.classList.contains('down')) bannerBox.hidden = true;
  }
}

function header(user, route) {
  const nav = document.getElementById('nav');
  const links = [['public', '/public']];
  if (user) for (const [name, v] of Object.entries(VIEWS)) if (v.roles.includes(user.role)) links.push([name, `/#${name}`]);
  nav.innerHTML = links.map(([name, href]) => `<a href="${href}" class="${name === route ? 'current' : ''}" data-nav="${name}">${t(name)}</a>`).join('');
  document.getElementById('who').innerHTML = user
    ? `<span class="muted small">${t('role.' + user.role)}${user.county ? ' · ' + user.county : ''}</span> <button type="button" id="sign-out">${t('signOut')}</button>`
    : `<a href="/#signin" class="button" id="sign-in" data-nav="signin">${t('signIn')}</a>`;
  document.getElementById('sign-out')?.addEventListener('click', async () => {
    // What still waits in the outbox is deleted with the rest of the phone's offline state: ask first.
    const waiting = (await outboxOf(user.sub).catch(() => [])).filter(item => item.state === 'waiting').length;
    if (waiting && !confirm(t('signOutWaiting', { n: waiting }))) return;
    dispose?.();
    dispose = null;
    await signOut();
  });
  document.getElementById('lang').textContent = t('lang');
  document.querySelector('.brand-sub').textContent = t('title');
}

async function route() {
  dispose?.();
  dispose = null;
  bannerBox.hidden = true;
  const user = claims();
  const hash = location.hash.slice(1);
  const name = location.pathname.startsWith('/public') ? 'public'
    : hash === 'signin' ? 'signin'
    : !user ? 'public'
    : VIEWS[hash]?.roles.includes(user.role) ? hash : HOME[user.role] ?? 'none';
  header(user, name);
  document.body.dataset.view = name;
  publicMapPromise ??= publicMapOrLast();
  const publicMap = await publicMapPromise;
  publicMapPromise = null; // read afresh on the next navigation
  const context = { publicMap, user, connection };
  main.setAttribute('aria-busy', 'true');
  if (name === 'public') dispose = await publicView(main, context);
  else if (name === 'signin') await signInView(main, { publicMap, done: () => { history.replaceState(null, '', '/'); route(); } });
  else if (name === 'none') main.innerHTML = `<p class="page">${t('noView')}: ${user.role}</p>`;
  else dispose = await VIEWS[name].view(main, context);
  main.removeAttribute('aria-busy');
  document.body.dataset.ready = name; // tests and screen readers: the view is drawn
}

/**
 * The public map (the province's counties, the server's clock, the settings the views read), kept on the phone; without
 * a network the last one kept, marked offlineSince (the views then date what they record by the clock difference last
 * measured, not by this map's old time).
 */
async function publicMapOrLast() {
  try {
    const map = await get('/api/v1/public/map');
    saveState('publicMap', map, map.now).catch(() => {});
    return map;
  } catch (error) {
    const last = error.status === undefined ? await loadState('publicMap').catch(() => null) : null;
    if (!last) throw error;
    return { ...last.value, offlineSince: last.savedAt };
  }
}

// The service worker keeps the app shell, so the app opens without a network after one visit with it (sw.js).
if ('serviceWorker' in navigator) navigator.serviceWorker.register('/sw.js').catch(() => {});

document.getElementById('lang').addEventListener('click', () => setLang(currentLang() === 'zh' ? 'en' : 'zh'));
onLangChange(() => route());
window.addEventListener('hashchange', route);
// A sign-in the provider redirected back with (or a token renewed after the phone was away) completes before the first view.
// The public map names the provider (signIn); offline, the last one kept does, and the stored user opens the app.
publicMapPromise = publicMapOrLast();
publicMapPromise.then(map => startSession(map.signIn), () => {}).catch(console.warn).finally(() => setLang(currentLang()));
