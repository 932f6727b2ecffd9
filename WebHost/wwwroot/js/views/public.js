// The public page (/public, and / before sign-in): the map, the counts per colour and the date. Anonymous; its
// data and its hub (/hubs/public) carry county colours and counts only, never a cell, case or person.
import { t, localDate } from '../i18n.js';
import { get, connectHub } from '../api.js';
import { mapPanel } from './mapPanel.js';

export async function publicView(main, { publicMap, connection }) {
  main.innerHTML = `<div class="page public-page">
      <h1>${publicMap.nameZh} · ${publicMap.nameEn} <span class="muted" data-t="map"></span></h1>
      <p class="muted small"><span data-t="publicNote"></span> <span data-t="noPersonalData"></span></p>
      <div class="panel-slot"></div></div>`;
  main.querySelectorAll('[data-t]').forEach(e => { e.textContent = t(e.dataset.t); });
  const panel = await mapPanel(main.querySelector('.panel-slot'), publicMap);
  const hub = liveColours(panel, publicMap, connection);
  return () => { hub.stop(); panel.dispose(); };
}

/**
 * Keeps a map panel's colours live from the public hub. After every (re)connection the map is read once more,
 * so a change pushed while the connection was down is not missed.
 */
export function liveColours(panel, publicMap, connection = () => {}) {
  const offset = publicMap.utcOffsetMinutes;
  let connectedBefore = false;
  return connectHub('/hubs/public', {
    anonymous: true,
    on: {
      countyChanged: c => { panel.setCounty(c.code, c.colours); panel.setDate(localDate(c.evaluatedAt, offset)); },
      provinceChanged: p => panel.setDate(p.date),
    },
    status: async s => {
      connection(s);
      if (s === 'connected' && !connectedBefore) { connectedBefore = true; return; }
      if (s === 'connected' || s === 'reconnected') {
        await new Promise(r => setTimeout(r, 1100)); // the public map is cached for a second
        const fresh = await get('/api/v1/public/map');
        panel.setAll(fresh.counties);
        panel.setDate(fresh.date);
      }
    },
  });
}
