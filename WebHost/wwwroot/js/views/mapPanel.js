// The map with its date, rule-set switch, legend and counts per colour: shared by the public page, the officials'
// map and the auditors' replay. It holds every county's colour under every rule set and shows the chosen one.
import { t, onLangChange } from '../i18n.js';
import { drawMap, legend, RESUMPTION_LAYER, resumptionColour } from '../map.js';
import { PUBLISHED_2020 } from '../published.js';

export async function mapPanel(root, publicMap, { onSelect = () => {}, showPublished = true } = {}) {
  root.innerHTML = `
    <section class="map-panel">
      <div class="map-head">
        <div><span class="muted" data-t="date"></span> <b class="map-date" data-testid="map-date"></b></div>
        <label class="rule-switch"><span data-t="ruleSet"></span> <select data-testid="rule-set"></select></label>
      </div>
      <div class="legend" aria-live="polite"></div>
      <div class="counts"><span class="muted" data-t="countsPublished"></span> <b class="counts-line" data-testid="counts"></b></div>
      <div class="map-box"></div>
      <details class="published" ${showPublished ? '' : 'hidden'}><summary data-t="publishedIn2020"></summary>
        <table><tbody>${PUBLISHED_2020.days.map(d => `<tr><td>${d.date}</td><td>${d.counts.join('/')}</td></tr>`).join('')}</tbody></table>
        <p class="muted small"><span data-t="source"></span>: <a href="${PUBLISHED_2020.source}" rel="noreferrer">${PUBLISHED_2020.sourceName}</a></p>
      </details>
    </section>`;
  const select = root.querySelector('select');
  const stored = localStorage.getItem('epigrid.ruleSet');
  // The resumption index (复工指数) is a layer like a rule set, when enterprises have readings.
  const layers = publicMap.resumption ? [...publicMap.ruleSets, RESUMPTION_LAYER] : publicMap.ruleSets;
  let ruleSet = layers.includes(stored) ? stored : publicMap.defaultRuleSet;
  select.innerHTML = layers.map(r => `<option value="${r}">${r === RESUMPTION_LAYER ? t(RESUMPTION_LAYER) : r}</option>`).join('');
  select.value = ruleSet;

  const indexOf = code => publicMap.resumption?.counties?.[code];
  const withLayer = (code, byRule) => ({ ...byRule, [RESUMPTION_LAYER]: resumptionColour(indexOf(code)) });
  const colours = Object.fromEntries(publicMap.counties.map(c => [c.code, withLayer(c.code, c.colours)]));
  const map = await drawMap(root.querySelector('.map-box'), publicMap.counties, { boundaries: publicMap.boundaries, onSelect });
  const listeners = new Set();

  function render() {
    root.querySelectorAll('[data-t]').forEach(e => { e.textContent = t(e.dataset.t); });
    map.setColours(Object.fromEntries(Object.entries(colours).map(([code, c]) => [code, c[ruleSet]])));
    renderCounts();
  }
  function renderCounts() {
    const counts = {};
    for (const c of Object.values(colours)) counts[c[ruleSet]] = (counts[c[ruleSet]] ?? 0) + 1;
    root.querySelector('.counts-line').textContent = legend(root.querySelector('.legend'), ruleSet, counts);
  }
  select.addEventListener('change', () => {
    ruleSet = select.value;
    localStorage.setItem('epigrid.ruleSet', ruleSet);
    render();
    listeners.forEach(f => f(ruleSet));
  });
  const unsubscribe = onLangChange(() => { render(); map.relabel(); });
  render();
  root.querySelector('.map-date').textContent = publicMap.date;

  return {
    get ruleSet() { return ruleSet; },
    onRuleSet: f => listeners.add(f),
    /** One county's colours under every rule set changed. */
    setCounty(code, byRule) {
      if (!colours[code]) return;
      colours[code] = withLayer(code, byRule);
      map.setColour(code, colours[code][ruleSet]);
      renderCounts();
    },
    /** Every county at once (replay). */
    setAll(counties) {
      for (const c of counties) colours[c.code] = withLayer(c.code, c.colours);
      render();
    },
    setDate: date => { root.querySelector('.map-date').textContent = date; },
    select: code => map.select(code),
    dispose: unsubscribe,
  };
}
