// The enterprise resumption index (复工电力指数) per day, a county's or the province's: the total as a bold line, and a
// line per industry when the answer carries them (each day's "industries", asked for with by=industry).
import { t } from '../i18n.js';
import { get, qs } from '../api.js';
import { chart, cssColour, disposeCharts } from '../charts.js';

/** The series of a history: the total index first, then one per industry named on any day (null on days without it). */
export function resumptionSeries(days) {
  const industries = [...new Set(days.flatMap(d => (d.industries ?? []).map(i => i.industry)))].sort();
  return [
    { id: 'total', name: t('resumptionTotal'), type: 'line', data: days.map(d => d.enterprises ? d.index : null), connectNulls: false,
      lineStyle: { width: 3, color: cssColour('accent') }, itemStyle: { color: cssColour('accent') }, z: 3 },
    ...industries.map(name => ({ id: `industry:${name}`, name, type: 'line', symbolSize: 4,
      data: days.map(d => d.industries?.find(i => i.industry === name)?.index ?? null) })),
  ];
}

export async function resumptionHistory(box, county, range) {
  disposeCharts(box);
  box.innerHTML = `<div class="chart" data-chart="resumption" role="img" aria-label="${t('resumptionHistory')}"></div>
    <p class="small muted" data-testid="resumption-note"></p>`;
  const el = box.querySelector('[data-chart]');
  const path = county ? `/api/v1/counties/${county}/resumption/history` : '/api/v1/province/resumption/history';
  const history = await get(`${path}?${qs({ ...range, by: 'industry' })}`);
  if (!el.isConnected) return;
  const days = history.days;
  await chart(el, {
    grid: { left: 8, right: 12, top: 48, bottom: 8, containLabel: true },
    legend: { top: 0, type: 'scroll' },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: days.map(d => d.day), axisLabel: { formatter: v => v.slice(5) } },
    yAxis: { type: 'value', min: 0, max: 100 },
    series: resumptionSeries(days),
  });
  box.querySelector('[data-testid=resumption-note]').textContent = days.some(d => d.enterprises) ? t('resumptionNote') : t('noReadings');
  el.dataset.from = history.from;
  el.dataset.to = history.to;
}
