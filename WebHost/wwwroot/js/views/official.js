// Officials: the live map, and on click a county's details. Colours arrive on the public hub; alerts and county
// changes on the grid hub refresh the open county's details (overdue list included). Nothing polls.
import { t } from '../i18n.js';
import { connectHub } from '../api.js';
import { mapPanel } from './mapPanel.js';
import { liveColours } from './public.js';
import { loadCountyDetail, renderCountyDetail } from './countyDetail.js';
import { disposeCharts } from '../charts.js';

export async function officialView(main, { publicMap, user, connection }) {
  main.innerHTML = `<div class="page split"><div class="map-col"></div>
    <aside class="detail" data-testid="county-detail"><p class="muted">${t('selectCounty')}</p></aside></div>`;
  const aside = main.querySelector('aside');
  let selected = null, pending = null, generation = 0;

  async function show(code) {
    selected = code;
    panel.select(code);
    const mine = ++generation;
    const detail = await loadCountyDetail(code);
    if (mine === generation) renderCountyDetail(aside, detail, publicMap.utcOffsetMinutes);
  }
  const refresh = code => {
    if (code !== selected) return;
    clearTimeout(pending);
    pending = setTimeout(() => show(selected).catch(console.warn), 200);
  };

  const panel = await mapPanel(main.querySelector('.map-col'), publicMap, { onSelect: code => show(code).catch(console.warn) });
  const colours = liveColours(panel, publicMap, () => {});
  const grid = connectHub('/hubs/grid', {
    on: { alert: a => refresh(a.county), alertUpdated: a => refresh(a.county), countyChanged: c => refresh(c.code) },
    status: s => { connection(s); if (s === 'reconnected' && selected) refresh(selected); },
  });
  if (user.county) await show(user.county).catch(console.warn);
  return () => { colours.stop(); grid.stop(); panel.dispose(); disposeCharts(aside); };
}
