// The line list (一览表): cases one per line with the API's filters, a page at a time along the cursor, and the same list
// as a CSV file. County officials list their county; the province's roles the province or a county they pick.
import { t, nameOf, localTime } from '../i18n.js';
import { get, qs, download } from '../api.js';
import { esc } from './countyDetail.js';
import { KINDS } from './epiCurve.js';

const STATUSES = ['active', 'hospitalised', 'recovered', 'died', 'ruled-out'];
const PAGE_SIZES = [20, 100, 500];

/** "+08:00" for 480 minutes. */
const offsetText = minutes => `${minutes < 0 ? '-' : '+'}${String(Math.floor(Math.abs(minutes) / 60)).padStart(2, '0')}:${String(Math.abs(minutes) % 60).padStart(2, '0')}`;

export async function lineListView(main, { publicMap, user }) {
  const offset = publicMap.utcOffsetMinutes, zone = offsetText(offset);
  const options = (values, label) => `<option value="">${t('any')}</option>` + values.map(v => `<option value="${v}">${label(v)}</option>`).join('');
  main.innerHTML = `<div class="page line-list">
    <form class="card filters" data-testid="case-filters">
      ${user.county ? '' : `<label>${t('county')} <select name="county"><option value="">${t('province')}</option>${publicMap.counties.map(c => `<option value="${c.code}">${esc(nameOf(c))} ${c.code}</option>`).join('')}</select></label>`}
      <label>${t('caseKind')} <select name="kind">${options(KINDS, k => t(k))}</select></label>
      <label>${t('status')} <select name="status">${options(STATUSES, s => t('status.' + s))}</select></label>
      <label>${t('fromDay')} <input type="date" name="from"></label>
      <label>${t('toDay')} <input type="date" name="to"></label>
      <label>${t('cell')} <input name="cell" placeholder="330782-001-001" size="15"></label>
      <label>${t('cluster')} <input name="cluster" size="10"></label>
      <label>${t('linked')} <select name="linked">${options(['true', 'false'], v => t(v === 'true' ? 'yes' : 'no'))}</select></label>
      <label>${t('perPage')} <select name="limit">${PAGE_SIZES.map(n => `<option${n === 100 ? ' selected' : ''}>${n}</option>`).join('')}</select></label>
      <button type="submit">${t('show')}</button>
      <button type="button" class="csv" data-testid="csv">${t('downloadCsv')}</button>
      <span class="small muted status" data-testid="cases-status" role="status"></span>
    </form>
    <div class="card table-scroll"><table class="cases" data-testid="cases">
      <thead><tr><th>${t('caseId')}</th><th>${t('county')}</th><th>${t('cell')}</th><th>${t('caseKind')}</th><th>${t('status')}</th><th>${t('local')}</th>
        <th>${t('occurred')}</th><th>${t('onset')}</th><th>${t('cluster')}</th><th>${t('infectedBy')}</th><th>${t('linked')}</th><th>${t('idMasked')}</th></tr></thead>
      <tbody></tbody></table>
      <p><button type="button" class="next" data-testid="next-page" hidden>${t('nextPage')}</button> <span class="small muted count" data-testid="case-count"></span></p>
    </div></div>`;
  const form = main.querySelector('form'), tbody = main.querySelector('tbody'), next = main.querySelector('.next');
  const status = main.querySelector('.status'), count = main.querySelector('.count');
  const names = new Map(publicMap.counties.map(c => [c.code, c]));
  let cursor = null, shown = 0, generation = 0;

  const county = () => user.county ?? form.county.value;
  const path = () => county() ? `/api/v1/counties/${county()}/cases` : '/api/v1/province/cases';
  const filters = () => ({
    kind: form.kind.value, status: form.status.value, cell: form.cell.value.trim(), cluster: form.cluster.value.trim(), linked: form.linked.value,
    from: form.from.value && `${form.from.value}T00:00:00${zone}`, to: form.to.value && `${form.to.value}T23:59:59.999${zone}`,
  });
  const yesNo = b => t(b ? 'yes' : 'no');
  const row = c => `<tr data-case="${esc(c.caseId)}" data-county="${esc(c.county)}"><td>${esc(c.caseId)}</td><td>${esc(names.has(c.county) ? nameOf(names.get(c.county)) : c.county)}</td>
    <td>${esc(c.cellId)}</td><td>${t(c.kind)}</td><td>${t('status.' + c.status)}</td><td>${yesNo(c.local)}</td><td>${localTime(c.occurredAt, offset)}</td>
    <td>${localTime(c.onsetAt, offset)}</td><td>${esc(c.clusterId)}</td><td>${esc(c.infectedBy)}</td><td>${yesNo(c.linked)}</td><td>${esc(c.maskedId)}</td></tr>`;

  async function load(more) {
    const mine = more ? generation : ++generation;
    status.textContent = t('loading');
    let page;
    try { page = await get(`${path()}?${qs({ ...filters(), limit: form.limit.value, cursor: more ? cursor : null })}`); }
    catch (e) { if (mine === generation) status.textContent = e.message; return; }
    if (mine !== generation) return;
    if (!more) { tbody.textContent = ''; shown = 0; }
    tbody.insertAdjacentHTML('beforeend', page.items.map(row).join(''));
    shown += page.items.length;
    if (shown === 0) tbody.innerHTML = `<tr><td colspan="12" class="muted">${t('none')}</td></tr>`;
    cursor = page.nextCursor ?? null;
    next.hidden = !cursor;
    count.textContent = t(cursor ? 'casesShownMore' : 'casesShown', { n: shown });
    status.textContent = '';
    main.querySelector('table').dataset.loaded = String(generation);
  }

  form.addEventListener('submit', e => { e.preventDefault(); load(false); });
  next.addEventListener('click', () => load(true));
  main.querySelector('.csv').addEventListener('click', async () => {
    status.textContent = t('loading');
    try {
      await download(`${path()}?${qs({ ...filters(), format: 'csv' })}`, `epigrid-cases-${county() || 'province'}.csv`);
      status.textContent = '';
    } catch (e) { status.textContent = e.message; }
  });
  await load(false);
}
