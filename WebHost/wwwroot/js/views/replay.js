// Auditors: a time slider over the province map (any past moment, as of when it occurred, optionally as known
// then), a county's event timeline with actor and source, why it had its colour, and the chain's verify result.
import { t, nameOf, localTime } from '../i18n.js';
import { audited, qs } from '../api.js';
import { mapPanel } from './mapPanel.js';
import { esc } from './countyDetail.js';

const DAYS_BACK = 30, STEP_MINUTES = 15;

export async function replayView(main, { publicMap }) {
  const offset = publicMap.utcOffsetMinutes;
  const end = Math.ceil(Date.parse(publicMap.now) / 60000 / STEP_MINUTES) * STEP_MINUTES; // minutes since epoch
  const steps = DAYS_BACK * 24 * 60 / STEP_MINUTES;
  main.innerHTML = `<div class="page split replay">
    <div class="map-col">
      <div class="slider card">
        <label for="moment">${t('moment')}: <b class="moment" data-testid="moment"></b></label>
        <input id="moment" type="range" min="0" max="${steps}" step="1" value="${steps}" data-testid="slider">
        <label class="small"><input type="checkbox" name="knownThen"> ${t('knownThen')}</label>
        <button type="button" class="to-live">${t('live')}</button>
        <span class="status small muted" data-testid="replay-status"></span>
      </div>
      <div class="panel-slot"></div>
    </div>
    <aside class="detail">
      <div class="card"><button type="button" class="verify" data-testid="verify">${t('verify')}</button> <span class="verify-result" data-testid="verify-result"></span></div>
      <div class="county-audit"><p class="muted">${t('selectCounty')}</p></div>
    </aside></div>`;
  const $ = s => main.querySelector(s);
  const slider = $('#moment'), knownThen = main.querySelector('[name=knownThen]');
  const momentOf = () => new Date((end - (steps - Number(slider.value)) * STEP_MINUTES) * 60000).toISOString();
  let selected = null, generation = 0;

  const panel = await mapPanel($('.panel-slot'), publicMap, { onSelect: code => { selected = code; panel.select(code); showCounty().catch(console.warn); } });
  panel.onRuleSet(() => showCounty().catch(console.warn));

  async function replay() {
    const at = momentOf(), mine = ++generation;
    $('.moment').textContent = localTime(at, offset);
    $('.status').textContent = t('loading');
    const map = await audited(`/api/v1/web/replay?${qs({ asOf: at, knownAt: knownThen.checked ? at : null })}`);
    if (mine !== generation) return;
    panel.setAll(map.counties);
    panel.setDate(map.date);
    $('.status').textContent = '';
    main.querySelector('.map-col').dataset.asOf = at;
    await showCounty();
  }

  async function showCounty() {
    if (!selected) return;
    const at = momentOf(), rs = panel.ruleSet, box = $('.county-audit');
    const county = publicMap.counties.find(c => c.code === selected);
    const from = new Date(Date.parse(at) - 14 * 86400000).toISOString();
    const why = await audited(`/api/v1/audit/counties/${selected}/colours/${rs}?${qs({ at, knownAt: knownThen.checked ? at : null })}`);
    // "to" excludes its moment while as-of includes it: ask up to a millisecond later.
    const to = new Date(Date.parse(at) + 1).toISOString();
    const events = await audited(`/api/v1/audit/events?${qs({ county: selected, from, to, pageSize: 200 })}`);
    box.innerHTML = `<h2>${esc(nameOf(county))} <span class="muted">${selected}</span></h2>
      <h3>${t('explain')} · ${esc(rs)}</h3>
      <div class="why" data-testid="why" data-colour="${esc(why.colour)}">
        <p><b>${t(why.colour)}</b> · ${t('level.' + why.level)} <span class="muted small">${esc(why.ruleVersion)}</span></p>
        <ul>${(why.reasons ?? []).map(r => `<li>${esc(r)}</li>`).join('')}</ul>
        ${why.since ? `<p class="small">${t('since')} ${localTime(why.since, offset)}${why.before ? ` · ${t('before')}: ${t(why.before.colour)}` : ''}${why.movedBy ? ` · ${t('movedBy')}: ${esc(why.movedBy)}` : ''}</p>` : ''}
        <details><summary>${t('inputs')}</summary><table>${Object.entries(why.inputs ?? {}).map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(v)}</td></tr>`).join('')}</table></details>
      </div>
      <h3>${t('timeline')}</h3>
      <table class="timeline" data-testid="timeline"><thead><tr><th>${t('occurred')}</th><th>${t('recorded')}</th><th>${t('kind')}</th><th>${t('actor')}</th><th>${t('source')}</th><th>${t('cell')}</th></tr></thead>
      <tbody>${events.events.slice().reverse().map(e => `<tr><td>${localTime(e.occurredAt, offset)}</td><td>${localTime(e.recordedAt, offset)}</td><td>${esc(e.kind)}</td>
        <td>${esc(e.actor)}</td><td>${esc(e.source)}</td><td>${esc(e.stream)}</td></tr>`).join('') || `<tr><td colspan="6" class="muted">${t('none')}</td></tr>`}</tbody></table>
      ${events.hasMore ? `<p class="small muted">${t('more')}…</p>` : ''}`;
  }

  let debounce = null;
  slider.addEventListener('input', () => { $('.moment').textContent = localTime(momentOf(), offset); clearTimeout(debounce); debounce = setTimeout(() => replay().catch(console.warn), 250); });
  knownThen.addEventListener('change', () => replay().catch(console.warn));
  $('.to-live').addEventListener('click', () => { slider.value = steps; replay().catch(console.warn); });
  $('.verify').addEventListener('click', async () => {
    const out = $('.verify-result');
    out.textContent = t('loading');
    let v;
    // Verification is for auditors and admins (a province official is refused) and is capped and timed: show why.
    try { v = await audited('/api/v1/audit/verify'); } catch (e) { out.textContent = e.message; out.dataset.ok = 'false'; return; }
    out.textContent = v.ok ? t('verifyOk', { n: v.checkedEvents }) : t('verifyBroken', { n: v.breaks.length });
    out.dataset.ok = v.ok;
  });
  await replay();
  return () => panel.dispose();
}
