// Officials and auditors: the map's history and the province's figures as charts (ECharts, loaded on first use).
// One colour-history read (a replay, recorded as an audit query) draws both the counts per colour over time, with the
// counts the province published in February 2020 marked, and the county × day colour strip.
import { t, nameOf } from '../i18n.js';
import { audited, qs } from '../api.js';
import { coloursOf } from '../map.js';
import { chart, cssColour, disposeCharts } from '../charts.js';
import { epiCurve, curveBy } from './epiCurve.js';
import { rtChart, rtRanking } from './rtChart.js';
import { resumptionHistory } from './resumptionChart.js';
import { esc } from './countyDetail.js';

const DAYS = 30;
export const addDays = (date, n) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86400000).toISOString().slice(0, 10);

export async function chartsView(main, { publicMap, user }) {
  const to = publicMap.date, from = addDays(to, 1 - DAYS);
  // A county official's own county; the province for the province's roles.
  const scope = user.county ? { county: user.county, name: nameOf(publicMap.counties.find(c => c.code === user.county) ?? { nameZh: user.county, nameEn: user.county }) }
    : { county: null, name: t('province') };
  main.innerHTML = `<div class="page charts-page">
    <form class="card chart-controls" data-testid="chart-controls">
      <label>${t('ruleSet')} <select name="ruleSet">${publicMap.ruleSets.map(r => `<option value="${esc(r)}">${esc(r)}</option>`).join('')}</select></label>
      <label>${t('fromDay')} <input type="date" name="from" value="${from}" max="${to}" required></label>
      <label>${t('toDay')} <input type="date" name="to" value="${to}" max="${to}" required></label>
      <button type="submit">${t('show')}</button>
      <span class="small muted status" data-testid="charts-status"></span>
    </form>
    <div class="chart-grid">
      <section class="card"><h2>${t('colourCounts')}</h2>
        <div class="chart" data-chart="colour-counts" role="img" aria-label="${t('colourCounts')}"></div>
        <p class="small muted"><span class="published-note"></span> · <span class="rule-version"></span></p></section>
      <section class="card"><h2>${t('epicurve')} · ${esc(scope.name)}</h2><div class="curve-box"></div></section>
      <section class="card"><h2>${t('rt')} · ${esc(scope.name)}</h2><div class="rt-box"></div></section>
      ${scope.county ? '' : `<section class="card"><h2>${t('rtRanking')}</h2><div class="rt-ranking-box"></div></section>`}
      <section class="card wide"><h2>${t('colourStrip')}</h2>
        <div class="strip-scroll"><div class="chart strip" data-chart="colour-strip" role="img" aria-label="${t('colourStrip')}"></div></div></section>
      <section class="card"><h2>${t('resumptionHistory')} · ${esc(scope.name)}</h2><div class="resumption-box"></div></section>
    </div></div>`;
  const form = main.querySelector('form'), status = main.querySelector('.status');
  form.ruleSet.value = publicMap.defaultRuleSet;
  let generation = 0;

  async function draw() {
    const mine = ++generation, range = { from: form.from.value, to: form.to.value };
    status.textContent = t('loading');
    const base = scope.county ? `/api/v1/counties/${scope.county}` : '/api/v1/province';
    const history = audited(`/api/v1/province/colour-history?${qs({ ruleSet: form.ruleSet.value, ...range })}`);
    // Rt and the ranking count by the curve's day (report or onset), to the range's last whole day: today's count is
    // still growing, and a part of a day reads as a fall.
    const lastWhole = range.to < publicMap.date ? range.to : addDays(publicMap.date, -1);
    const rtRange = { from: range.from < lastWhole ? range.from : lastWhole, to: lastWhole };
    const rt = by => Promise.all([
      rtChart(main.querySelector('.rt-box'), `${base}/rt`, { range: rtRange, by }),
      scope.county ? null : rtRanking(main.querySelector('.rt-ranking-box'), { day: lastWhole, by }),
    ]);
    await Promise.all([
      epiCurve(main.querySelector('.curve-box'), `${base}/epicurve`, range, by => rt(by).catch(console.warn)),
      rt(curveBy()),
      resumptionHistory(main.querySelector('.resumption-box'), scope.county, range),
      history.then(h => { if (mine === generation) return Promise.all([colourCounts(main, h), colourStrip(main, h, publicMap)]); }),
    ]).then(() => { if (mine === generation) status.textContent = ''; }, e => { status.textContent = e.message; throw e; });
  }
  form.addEventListener('submit', e => { e.preventDefault(); draw().catch(console.warn); });
  form.ruleSet.addEventListener('change', () => draw().catch(console.warn));
  await draw().catch(console.warn);
  return () => disposeCharts(main);
}

/** Counties per colour per day, stacked, and the published counts as points at the top of each colour's band. */
async function colourCounts(main, history) {
  const colours = coloursOf(history.ruleSet), days = history.days;
  // The province published counts of its five-colour map: comparable only under a rule set with those five colours.
  const comparable = colours.length === 5;
  const published = days.flatMap((d, i) => {
    if (!d.published || !comparable) return [];
    let top = 0;
    return colours.map(c => {
      top += d.published[c] ?? 0;
      return { value: [i, top, d.published[c] ?? 0], name: c, itemStyle: { color: cssColour(c), borderColor: cssColour('ink'), borderWidth: 1.5 } };
    });
  });
  const el = main.querySelector('[data-chart=colour-counts]');
  await chart(el, {
    grid: { left: 8, right: 12, top: 48, bottom: 8, containLabel: true },
    legend: { top: 0, type: 'scroll' },
    tooltip: { trigger: 'item', formatter: p => p.seriesId === 'published'
      ? `${days[p.value[0]].date} ${t('publishedIn2020')}: ${t(p.name)} ${p.value[2]}` : `${p.name} ${p.seriesName}: ${p.value}` },
    xAxis: { type: 'category', data: days.map(d => d.date), axisLabel: { formatter: v => v.slice(5) } },
    yAxis: { type: 'value', max: history.counties.length, minInterval: 1 },
    series: [
      ...colours.map(c => ({ id: c, name: t(c), type: 'bar', stack: 'counts', barCategoryGap: '15%', data: days.map(d => d.counts[c] ?? 0), itemStyle: { color: cssColour(c) } })),
      { id: 'published', name: t('publishedIn2020'), type: 'scatter', symbol: 'diamond', symbolSize: 11, z: 5, data: published },
    ],
  });
  main.querySelector('.rule-version').textContent = `${history.ruleSet} ${history.ruleVersion}`;
  main.querySelector('.published-note').textContent = comparable ? `◆ ${t('publishedIn2020')}` : t('publishedFiveOnly');
  el.dataset.ruleSet = history.ruleSet;
  el.dataset.from = history.from;
  el.dataset.to = history.to;
}

/** Rows counties (in code order), columns days, each cell the county's colour at the day's end. */
async function colourStrip(main, history, publicMap) {
  const colours = coloursOf(history.ruleSet), names = new Map(publicMap.counties.map(c => [c.code, c]));
  const el = main.querySelector('[data-chart=colour-strip]');
  el.style.height = `${history.counties.length * 12 + 64}px`; // a CSSOM property, not a style attribute: allowed by the CSP
  const data = history.counties.flatMap((c, row) => c.colours.map((colour, col) => [col, row, colours.indexOf(colour)]));
  await chart(el, {
    grid: { left: 8, right: 8, top: 8, bottom: 40, containLabel: true },
    tooltip: { trigger: 'item', formatter: p => `${history.days[p.value[0]].date} ${nameOf(names.get(history.counties[p.value[1]].code))}: ${t(colours[p.value[2]])}` },
    xAxis: { type: 'category', data: history.days.map(d => d.date), axisLabel: { formatter: v => v.slice(5) }, splitArea: { show: false } },
    yAxis: { type: 'category', inverse: true, data: history.counties.map(c => nameOf(names.get(c.code) ?? { nameZh: c.code, nameEn: c.code })),
      axisLabel: { fontSize: 9, interval: 0 } },
    visualMap: { type: 'piecewise', dimension: 2, show: true, orient: 'horizontal', left: 'center', bottom: 0,
      pieces: colours.map((c, i) => ({ value: i, label: t(c), color: cssColour(c) })) },
    series: [{ id: 'strip', type: 'heatmap', data, itemStyle: { borderColor: '#fff', borderWidth: 0.5 } }],
  });
  el.dataset.ruleSet = history.ruleSet;
  el.dataset.counties = history.counties.map(c => c.code).join(',');
}
