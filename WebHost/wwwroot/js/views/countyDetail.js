// What an official sees on clicking a county: totals, colour under each rule set with its reasons, the busiest
// cells, the epidemic curve and Rt beside it (charts, loaded on first use) and the overdue alerts. "Overdue" is judged by the server's domain clock.
import { t, nameOf, pick, localTime, currentLang } from '../i18n.js';
import { get, qs } from '../api.js';
import { swatch } from '../map.js';
import { disposeCharts } from '../charts.js';
import { epiCurve, curveBy } from './epiCurve.js';
import { rtChart } from './rtChart.js';

const esc = s => String(s ?? '').replace(/[&<>"]/g, ch => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]);
export { esc };

const TOTALS = ['confirmedTotal', 'newLast14Days', 'newLast7Days', 'clustersLast14Days', 'daysSinceLastNewCase', 'localShare', 'linkedShareLast14Days', 'active', 'travellers', 'population', 'closedCells', 'controlledCells'];
const SHARES = new Set(['localShare', 'linkedShareLast14Days']);

export async function loadCountyDetail(code) {
  const [county, trend, open] = await Promise.all([
    get(`/api/v1/counties/${code}`),
    get(`/api/v1/web/counties/${code}/trend?days=1`), // for the domain clock's now: "overdue" is the server's judgement
    get(`/api/v1/alerts?${qs({ status: 'open', county: code })}`).catch(() => []),
  ]);
  const now = Date.parse(trend.now);
  const overdue = open.filter(a => a.dueBy && Date.parse(a.dueBy) < now).sort((a, b) => Date.parse(a.dueBy) - Date.parse(b.dueBy));
  return { county, trend, overdue };
}

export function renderCountyDetail(aside, { county, trend, overdue }, offset) {
  disposeCharts(aside);
  const value = k => SHARES.has(k) ? (county[k] == null ? '—' : `${Math.round(county[k] * 100)}%`) : county[k] ?? '—';
  aside.innerHTML = `
    <h2>${esc(nameOf(county))} <span class="muted">${esc(county.code)} · ${esc(nameOf(county.city))}</span></h2>
    <h3>${t('totals')}</h3>
    <dl class="totals">${TOTALS.map(k => `<div><dt>${t(k)}</dt><dd data-total="${k}">${value(k)}</dd></div>`).join('')}</dl>
    ${measuresList(county.measures)}
    ${underControl(county.cellsUnderControl, offset)}
    <h3>${t('colourUnder')}</h3>
    <ul class="rule-colours">${Object.entries(county.colours).map(([rs, c]) => `
      <li data-rule-set="${esc(rs)}" data-rule-colour="${esc(c.colour)}"><span class="sw" data-colour-swatch="${esc(c.colour)}"></span>
        <b>${esc(rs)}</b>: ${t(c.colour)} · ${t('level.' + c.level)} <span class="muted small">${esc(c.ruleVersion)}</span>
        <ul class="reasons">${c.reasons.map(r => `<li>${esc(r)}</li>`).join('')}</ul></li>`).join('')}</ul>
    <h3>${t('epicurve')}</h3>
    <div class="epicurve-box"></div>
    <h3>${t('rt')}</h3>
    <div class="rt-box"></div>
    <h3>${t('overdue')} <span class="muted small">(${t('overdueAsOf')} ${localTime(trend.now, offset)})</span></h3>
    <ul class="overdue" data-testid="overdue-list">${overdue.length === 0 ? `<li class="muted">${t('none')}</li>` : overdue.map(a => `
      <li data-alert="${esc(a.id)}" class="sev-${esc(a.severity)}"><b>${esc(pick(a.text ?? a.message))}</b><br>
      <span class="small muted">${t('raised')} ${localTime(a.raisedAt, offset)} · ${t('due')} ${localTime(a.dueBy, offset)}${a.cellId ? ' · ' + esc(a.cellId) : ''}</span></li>`).join('')}</ul>
    <h3>${t('busiestCells')}</h3>
    <table class="cells"><thead><tr><th>${t('cell')}</th><th>${t('active')}</th><th>${t('confirmedTotal')}</th><th>${t('travellers')}</th></tr></thead>
    <tbody>${(county.busiestCells ?? []).slice(0, 10).map(c => `<tr><td>${esc(c.cellId)}</td><td>${c.activeCases}</td><td>${c.confirmedTotal}</td><td>${c.travellers}</td></tr>`).join('')
      || `<tr><td colspan="4" class="muted">${t('none')}</td></tr>`}</tbody></table>`;
  aside.querySelectorAll('[data-colour-swatch]').forEach(s => s.replaceWith(swatch(s.dataset.colourSwatch)));
  const rt = by => rtChart(aside.querySelector('.rt-box'), `/api/v1/counties/${county.code}/rt`, { by }).catch(console.warn);
  epiCurve(aside.querySelector('.epicurve-box'), `/api/v1/counties/${county.code}/epicurve`, {}, rt).catch(console.warn);
  rt(curveBy());
}

// The measures that follow the default rule set's colour, from the server's versioned table, with its source.
function measuresList(m) {
  if (!m) return '';
  return `<h3>${t('measuresInForce')} <span class="muted small">${esc(m.ruleSet)} · ${t(m.colour)} · ${esc(m.version)}</span></h3>
    <ul class="measures" data-testid="measures" data-measures-colour="${esc(m.colour)}">${m.items.map(i => `<li>${esc(currentLang() === 'zh' ? i.zh : i.en)}</li>`).join('')
      || `<li class="muted">${t('none')}</li>`}</ul>
    <p class="small muted" data-testid="measures-source">${esc(m.source)}</p>`;
}

// Cells closed or controlled now (issue 17), closed first: why, since and until when, and by whom.
function underControl(cells, offset) {
  if (!cells?.length) return '';
  return `<h3>${t('cellsUnderControl')}</h3><ul class="under-control" data-testid="cells-under-control">${cells.map(c => `
    <li data-cell="${esc(c.cellId)}" data-control="${esc(c.control.level)}"><span class="control-mark control-${esc(c.control.level)}">${t('control.' + c.control.level)}</span>
      <b>${esc(c.cellId)}</b> ${esc(c.control.reason)}<br><span class="small muted">${t('since')} ${localTime(c.control.since, offset)}${c.control.until
        ? ` · ${t('controlUntil')} ${localTime(c.control.until, offset)}` : ''} · ${esc(c.control.by)}</span></li>`).join('')}</ul>`;
}
