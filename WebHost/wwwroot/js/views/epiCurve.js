// An epidemic curve, a county's or the province's: new cases per local day stacked by kind, and the 7-day mean of all
// kinds as a line, by the day the cases were reported or the day their symptoms began.
import { t } from '../i18n.js';
import { get, qs } from '../api.js';
import { chart, cssColour, disposeCharts } from '../charts.js';

export const KINDS = ['confirmed', 'suspected', 'asymptomatic'];
const KIND_COLOURS = { confirmed: 'red', suspected: 'orange', asymptomatic: 'blue' };
let by = 'report'; // the reader's choice outlives the county panel's re-renders

/** The 7-day mean of all kinds on each day: the sum of the kinds' means the API gives. */
const meanOfAll = d => Math.round(KINDS.reduce((s, k) => s + d[`${k}Average7`], 0) * 100) / 100;

/** The day the reader counts cases by (report or onset): the Rt beside a curve follows it. */
export const curveBy = () => by;

/**
 * Fills <paramref name="box"/> with the report/onset switch and the curve of <paramref name="path"/> (…/epicurve);
 * <paramref name="onBy"/> is told when the reader switches.
 */
export async function epiCurve(box, path, range = {}, onBy = () => {}) {
  disposeCharts(box);
  box.innerHTML = `<div class="chart-head"><label>${t('curveBy')} <select data-testid="curve-by">
      <option value="report">${t('by.report')}</option><option value="onset">${t('by.onset')}</option></select></label>
      <span class="small muted" data-testid="without-onset"></span></div>
    <div class="chart" data-chart="epicurve" role="img" aria-label="${t('epicurve')}"></div>`;
  const select = box.querySelector('select'), el = box.querySelector('[data-chart]');
  select.value = by;

  async function draw() {
    const asked = by;
    const curve = await get(`${path}?${qs({ ...range, by: asked })}`);
    if (asked !== by || !el.isConnected) return;
    const days = curve.days;
    await chart(el, {
      grid: { left: 8, right: 12, top: 48, bottom: 8, containLabel: true },
      legend: { top: 0, type: 'scroll' },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: days.map(d => d.date), axisLabel: { formatter: v => v.slice(5) } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        ...KINDS.map(k => ({ id: k, name: t(k), type: 'bar', stack: 'cases', data: days.map(d => d[k]), itemStyle: { color: cssColour(KIND_COLOURS[k]) } })),
        { id: 'mean7', name: t('mean7'), type: 'line', data: days.map(meanOfAll), symbol: 'none', smooth: false, lineStyle: { width: 2, color: cssColour('ink') }, itemStyle: { color: cssColour('ink') } },
      ],
    });
    box.querySelector('[data-testid=without-onset]').textContent = asked === 'onset' && curve.withoutOnset ? t('withoutOnset', { n: curve.withoutOnset }) : '';
    el.dataset.by = asked;
    el.dataset.from = curve.from;
    el.dataset.to = curve.to;
  }
  select.addEventListener('change', () => { by = select.value; draw().catch(console.warn); onBy(by); });
  await draw();
}
