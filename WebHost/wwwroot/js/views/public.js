// The public page (/public, and / before sign-in): the map, the counts per colour and the date. Anonymous; its
// data and its hub (/hubs/public) carry county colours and counts only, never a cell, case or person. Beside the map:
// how many cells of each county are closed (issue 17), a count per county.
import { t, localDate, nameOf, onLangChange } from '../i18n.js';
import { get, connectHub } from '../api.js';
import { mapPanel } from './mapPanel.js';
import { esc } from './countyDetail.js';

export async function publicView(main, { publicMap, connection }) {
  main.innerHTML = `<div class="page public-page">
      <h1>${publicMap.nameZh} · ${publicMap.nameEn} <span class="muted" data-t="map"></span></h1>
      <p class="muted small"><span data-t="publicNote"></span> <span data-t="noPersonalData"></span></p>
      <div class="panel-slot"></div>
      <section class="closed-cells"><h2 data-t="closedCellsByCounty"></h2><ul data-testid="closed-cells"></ul></section></div>`;
  main.querySelectorAll('[data-t]').forEach(e => { e.textContent = t(e.dataset.t); });
  const panel = await mapPanel(main.querySelector('.panel-slot'), publicMap);
  const closed = closedCells(main.querySelector('[data-testid="closed-cells"]'), publicMap.counties);
  const hub = liveColours(panel, publicMap, connection, closed.set);
  return () => { hub.stop(); panel.dispose(); closed.dispose(); };
}

/** The counties with closed cells, most first; `set` takes a county's new count. */
function closedCells(list, counties) {
  const byCode = new Map(counties.map(c => [c.code, { ...c }]));
  const render = () => {
    const rows = [...byCode.values()].filter(c => c.closedCells > 0).sort((a, b) => b.closedCells - a.closedCells || a.code.localeCompare(b.code));
    list.innerHTML = rows.map(c => `<li data-closed-county="${esc(c.code)}" data-closed="${c.closedCells}">${esc(nameOf(c))} <b>${c.closedCells}</b></li>`).join('')
      || `<li class="muted">${t('noClosedCells')}</li>`;
  };
  render();
  const dispose = onLangChange(render);
  return {
    set(code, count) { const c = byCode.get(code); if (c && count != null && c.closedCells !== count) { c.closedCells = count; render(); } },
    dispose,
  };
}

/**
 * Keeps a map panel's colours live from the public hub. After every (re)connection the map is read once more,
 * so a change pushed while the connection was down is not missed.
 */
export function liveColours(panel, publicMap, connection = () => {}, closedCells = () => {}) {
  const offset = publicMap.utcOffsetMinutes;
  let connectedBefore = false;
  return connectHub('/hubs/public', {
    anonymous: true,
    on: {
      countyChanged: c => { panel.setCounty(c.code, c.colours); panel.setDate(localDate(c.evaluatedAt, offset)); closedCells(c.code, c.closedCells); },
      provinceChanged: p => panel.setDate(p.date),
    },
    status: async s => {
      connection(s);
      if (s === 'connected' && !connectedBefore) { connectedBefore = true; return; }
      if (s === 'connected' || s === 'reconnected') {
        await new Promise(r => setTimeout(r, 1100)); // the public map is cached for a second
        const fresh = await get('/api/v1/public/map');
        panel.setAll(fresh.counties);
        fresh.counties.forEach(c => closedCells(c.code, c.closedCells));
        panel.setDate(fresh.date);
      }
    },
  });
}
