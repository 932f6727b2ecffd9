// The reproduction number Rt (issue 21) of a county or the province: the posterior mean per day with its 95 % interval as a
// band and the line at 1, the method it was computed by, and the 7-day projection of the renewal equation at the latest Rt
// (a projection of the trend, not a forecast of what measures will do). The incidence is the epidemic curve's, by the same
// day (report or onset) as the curve beside it. And the province's counties ranked by Rt.
import { t, nameOf } from '../i18n.js';
import { get, qs } from '../api.js';
import { chart, cssColour, disposeCharts } from '../charts.js';
import { esc } from './countyDetail.js';

const fmt = v => (v == null ? '—' : v.toFixed(2));

/** Fills <paramref name="box"/> with the Rt chart of <paramref name="path"/> (…/rt) over <paramref name="range"/>, by <paramref name="by"/>. */
export async function rtChart(box, path, { range = {}, by = 'report' } = {}) {
  disposeCharts(box);
  box.innerHTML = `<div class="chart" data-chart="rt" role="img" aria-label="${t('rt')}"></div>
    <p class="small" data-testid="rt-projection"></p>
    <p class="small muted" data-testid="rt-method"></p>`;
  const el = box.querySelector('[data-chart]');
  const rt = await get(`${path}?${qs({ ...range, by })}`);
  if (!el.isConnected) return;
  const items = rt.items, ink = cssColour('ink');
  await chart(el, {
    grid: { left: 8, right: 12, top: 40, bottom: 8, containLabel: true },
    legend: { top: 0, data: [t('rtMean'), t('rtInterval')] },
    tooltip: {
      trigger: 'axis',
      formatter: ps => {
        const i = items[ps[0].dataIndex];
        return i.mean == null ? `${i.day}: ${t('rtTooFew', { n: i.cases, min: rt.minCases })}`
          : `${i.day}: Rt ${fmt(i.mean)} (${fmt(i.lower)}–${fmt(i.upper)}) · ${t('rtCases')} ${i.cases}`;
      },
    },
    xAxis: { type: 'category', data: items.map(i => i.day), axisLabel: { formatter: v => v.slice(5) } },
    yAxis: { type: 'value', min: 0, name: 'Rt' },
    series: [
      // The band: the lower bound, invisible, with the interval's width stacked on it and filled.
      { id: 'lower', type: 'line', stack: 'band', data: items.map(i => i.lower), symbol: 'none', silent: true, lineStyle: { opacity: 0 } },
      { id: 'band', name: t('rtInterval'), type: 'line', stack: 'band', data: items.map(i => (i.mean == null ? null : i.upper - i.lower)), symbol: 'none',
        silent: true, lineStyle: { opacity: 0 }, areaStyle: { color: cssColour('blue'), opacity: 0.3 }, itemStyle: { color: cssColour('blue') } },
      { id: 'mean', name: t('rtMean'), type: 'line', data: items.map(i => i.mean), symbol: 'none', lineStyle: { width: 2, color: ink }, itemStyle: { color: ink },
        markLine: { silent: true, symbol: 'none', data: [{ yAxis: 1 }], lineStyle: { color: cssColour('red'), type: 'dashed' }, label: { formatter: 'Rt = 1', position: 'insideEndTop' } } },
    ],
  });
  const last = items.at(-1), projection = rt.projection;
  const sum = k => Math.round(projection.reduce((s, d) => s + d[k], 0));
  box.querySelector('[data-testid=rt-projection]').textContent = projection.length
    ? t('rtProjection', { n: sum('expected'), lo: sum('lower'), hi: sum('upper'), rt: fmt(last.mean), day: last.day })
    : t('rtNoEstimate', { min: rt.minCases });
  box.querySelector('[data-testid=rt-method]').textContent = t('rtMethod', { w: rt.window, m: rt.serialInterval.mean, sd: rt.serialInterval.sd,
    src: rt.serialInterval.source, pm: rt.prior.mean, psd: rt.prior.sd, min: rt.minCases, v: rt.ruleVersion });
  Object.assign(el.dataset, { by: rt.by, from: items[0]?.day ?? '', to: last?.day ?? '' });
}

/**
 * The counties ranked by Rt on one day (the last whole day by default), those with enough cases for an estimate; a county
 * whose whole interval lies above 1 (or below) is marked so in words, not by colour alone.
 */
export async function rtRanking(box, { day, by = 'report' } = {}) {
  const ranking = await get(`/api/v1/province/rt/counties?${qs({ day, by })}`);
  if (!box.isConnected) return;
  const trend = i => (i.lower > 1 ? 'up' : i.upper < 1 ? 'down' : '');
  box.innerHTML = `<div class="table-scroll"><table class="cells rt-ranking" data-testid="rt-ranking" data-day="${esc(ranking.day)}">
    <thead><tr><th>${t('rtRank')}</th><th>${t('county')}</th><th>Rt</th><th>${t('rtInterval')}</th><th>${t('rtCases')}</th></tr></thead>
    <tbody>${ranking.items.map((i, n) => `<tr data-county="${esc(i.county)}" class="${trend(i) ? `rt-${trend(i)}` : ''}">
      <td>${n + 1}</td><td>${esc(nameOf(i))}</td><td data-rt="${i.mean}">${fmt(i.mean)}${trend(i) ? ` <span class="small">${t(trend(i) === 'up' ? 'rtAbove' : 'rtBelow')}</span>` : ''}</td>
      <td>${fmt(i.lower)}–${fmt(i.upper)}</td><td>${i.cases}</td></tr>`).join('')
      || `<tr><td colspan="5" class="muted">${t('none')}</td></tr>`}</tbody></table></div>
    <p class="small muted" data-testid="rt-without">${t('rtWithout', { n: ranking.withoutEstimate, min: ranking.minCases, w: ranking.window })}</p>`;
}
