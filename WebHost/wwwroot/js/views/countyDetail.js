// What an official sees on clicking a county: totals, colour under each rule set with its reasons, the busiest
// cells, a 14-day trend of new cases and the overdue alerts. "Overdue" is judged by the server's domain clock.
import { t, nameOf, pick, localTime, currentLang } from '../i18n.js';
import { get, qs } from '../api.js';
import { swatch } from '../map.js';

const esc = s => String(s ?? '').replace(/[&<>"]/g, ch => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]);
export { esc };

const TOTALS = ['confirmedTotal', 'newLast14Days', 'newLast7Days', 'clustersLast14Days', 'daysSinceLastNewCase', 'localShare', 'linkedShareLast14Days', 'active', 'travellers', 'population'];
const SHARES = new Set(['localShare', 'linkedShareLast14Days']);

export async function loadCountyDetail(code) {
  const [county, trend, open] = await Promise.all([
    get(`/api/v1/counties/${code}`),
    get(`/api/v1/web/counties/${code}/trend?days=14`),
    get(`/api/v1/alerts?${qs({ status: 'open', county: code })}`).catch(() => []),
  ]);
  const now = Date.parse(trend.now);
  const overdue = open.filter(a => a.dueBy && Date.parse(a.dueBy) < now).sort((a, b) => Date.parse(a.dueBy) - Date.parse(b.dueBy));
  return { county, trend, overdue };
}

export function renderCountyDetail(aside, { county, trend, overdue }, offset) {
  const value = k => SHARES.has(k) ? (county[k] == null ? '—' : `${Math.round(county[k] * 100)}%`) : county[k] ?? '—';
  aside.innerHTML = `
    <h2>${esc(nameOf(county))} <span class="muted">${esc(county.code)} · ${esc(nameOf(county.city))}</span></h2>
    <h3>${t('totals')}</h3>
    <dl class="totals">${TOTALS.map(k => `<div><dt>${t(k)}</dt><dd data-total="${k}">${value(k)}</dd></div>`).join('')}</dl>
    ${measuresList(county.measures)}
    <h3>${t('colourUnder')}</h3>
    <ul class="rule-colours">${Object.entries(county.colours).map(([rs, c]) => `
      <li data-rule-set="${esc(rs)}" data-rule-colour="${esc(c.colour)}"><span class="sw" data-colour-swatch="${esc(c.colour)}"></span>
        <b>${esc(rs)}</b>: ${t(c.colour)} · ${t('level.' + c.level)} <span class="muted small">${esc(c.ruleVersion)}</span>
        <ul class="reasons">${c.reasons.map(r => `<li>${esc(r)}</li>`).join('')}</ul></li>`).join('')}</ul>
    <h3>${t('trend')}</h3>
    ${trendChart(trend.days)}
    <h3>${t('overdue')} <span class="muted small">(${t('overdueAsOf')} ${localTime(trend.now, offset)})</span></h3>
    <ul class="overdue" data-testid="overdue-list">${overdue.length === 0 ? `<li class="muted">${t('none')}</li>` : overdue.map(a => `
      <li data-alert="${esc(a.id)}" class="sev-${esc(a.severity)}"><b>${esc(pick(a.message))}</b><br>
      <span class="small muted">${t('raised')} ${localTime(a.raisedAt, offset)} · ${t('due')} ${localTime(a.dueBy, offset)}${a.cellId ? ' · ' + esc(a.cellId) : ''}</span></li>`).join('')}</ul>
    <h3>${t('busiestCells')}</h3>
    <table class="cells"><thead><tr><th>${t('cell')}</th><th>${t('active')}</th><th>${t('confirmedTotal')}</th><th>${t('travellers')}</th></tr></thead>
    <tbody>${(county.busiestCells ?? []).slice(0, 10).map(c => `<tr><td>${esc(c.cellId)}</td><td>${c.activeCases}</td><td>${c.confirmedTotal}</td><td>${c.travellers}</td></tr>`).join('')
      || `<tr><td colspan="4" class="muted">${t('none')}</td></tr>`}</tbody></table>`;
  aside.querySelectorAll('[data-colour-swatch]').forEach(s => s.replaceWith(swatch(s.dataset.colourSwatch)));
}

// The measures that follow the default rule set's colour, from the server's versioned table, with its source.
function measuresList(m) {
  if (!m) return '';
  return `<h3>${t('measuresInForce')} <span class="muted small">${esc(m.ruleSet)} · ${t(m.colour)} · ${esc(m.version)}</span></h3>
    <ul class="measures" data-testid="measures" data-measures-colour="${esc(m.colour)}">${m.items.map(i => `<li>${esc(currentLang() === 'zh' ? i.zh : i.en)}</li>`).join('')
      || `<li class="muted">${t('none')}</li>`}</ul>
    <p class="small muted" data-testid="measures-source">${esc(m.source)}</p>`;
}

function trendChart(days) {
  const max = Math.max(1, ...days.map(d => d.newConfirmed));
  const w = 14, h = 60;
  const bars = days.map((d, i) => {
    const bh = Math.round(d.newConfirmed / max * h);
    return `<g><title>${d.date}: ${d.newConfirmed}</title><rect x="${i * w + 1}" y="${h - bh + 12}" width="${w - 2}" height="${bh}" class="bar"></rect>
      ${d.newConfirmed ? `<text x="${i * w + w / 2}" y="${h - bh + 10}" class="bar-label">${d.newConfirmed}</text>` : ''}</g>`;
  }).join('');
  return `<svg class="trend" viewBox="0 0 ${days.length * w} ${h + 26}" role="img" aria-label="${t('trend')}">${bars}
    <text x="0" y="${h + 24}" class="axis">${days[0]?.date.slice(5) ?? ''}</text>
    <text x="${days.length * w}" y="${h + 24}" class="axis" text-anchor="end">${days.at(-1)?.date.slice(5) ?? ''}</text></svg>`;
}
