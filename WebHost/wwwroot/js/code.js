// The citizen's self-declaration page (/public/code): a phone-first form, no account, no framework. It reads the
// form's data (the server's domain clock, the province's offset, symptoms, counties), sends one declaration and
// shows the health code it answers with; the code's token lives only in this module's memory and is refreshed
// before it expires. The identity number never outlives the request: the form is reset once the server answers.
// Two clocks: the form's dates follow the server's domain clock (`now` of the form, which tests set in 2020); a
// token's expiry is on the wall clock, measured against the Date header of the answer that brought it.

const dict = {
  zh: {
    lang: 'English', brand: '健康码自主申报', title: '健康码自主申报', loading: '加载中…',
    loadFailed: '无法加载申报表，请检查网络后重试。', retry: '重试',
    intro: '请如实填写本人信息。带 * 为必填项。',
    idNumber: '居民身份证号', name: '姓名', phone: '手机号码', cellId: '所在网格编号',
    cellIdHint: '可向社区或网格员询问，例如 330106-001-001。',
    itinerary: '近期行程', itineraryHint: '请填写近 {n} 天内到过的县（市、区）；到过省外的，请选择“省外”并填写地点。日期按北京时间（UTC{offset}）。',
    stay: '行程 {n}', place: '地点', chooseCounty: '请选择县（市、区）', outside: '省外（请填写地点）',
    area: '省外地点（如 武汉）', from: '起', to: '止', addStay: '＋ 添加一段行程', removeStay: '删除',
    needPlace: '请选择县（市、区），或选择“省外”并填写地点；没有这段行程请删除。', needDates: '请填写起止日期。',
    symptoms: '目前是否有以下症状（可多选）', contactWithCase: '近14天曾与确诊或疑似病例接触',
    standingNote: '申报只为本人增加信息，不会降低其他来源已赋予的健康码颜色。若该身份证号已由其他手机号申报，本次申报不会取代首次申报，将由所在网格的网格员核实。',
    declare: '提交申报', sending: '正在提交…',
    pending: '该身份证号已由其他手机号申报。首次申报继续有效，本次申报不会取代它；所在网格的网格员将与您核实。',
    tooMany: '本网络提交的申报过多，请 {n} 秒后重试。',
    network: '网络不畅，未能提交，请稍后重试。', failed: '服务暂时不可用（{status}），请稍后重试。',
    expired: '健康码已过期，请重新申报。',
    'code.green': '绿码', 'code.yellow': '黄码', 'code.red': '红码', 'code.unknown': '健康码',
    qrAlt: '健康码二维码（{colour}）', maskedId: '身份证号', validUntil: '有效期至',
    refreshIn: '{n} 秒后刷新', refreshing: '正在刷新…', refreshRetry: '刷新失败，{n} 秒后重试',
    again: '重新申报', privacy: '本页面不保存您的身份证号。', map: '疫情风险地图',
  },
  en: {
    lang: '中文', brand: 'Health code self-declaration', title: 'Health code self-declaration', loading: 'Loading…',
    loadFailed: 'The form could not be loaded. Check your connection and try again.', retry: 'Try again',
    intro: 'Please declare truthfully about yourself. Fields marked * are required.',
    idNumber: 'Resident identity number', name: 'Name', phone: 'Mobile phone number', cellId: 'Your grid cell',
    cellIdHint: 'Your community or grid worker can tell you, e.g. 330106-001-001.',
    itinerary: 'Recent travel', itineraryHint: 'The counties you have been in during the last {n} days; for a place outside the province choose “Outside the province” and type it. Dates in the province’s time (UTC{offset}).',
    stay: 'Stay {n}', place: 'Place', chooseCounty: 'Choose a county', outside: 'Outside the province (type the place)',
    area: 'Place outside the province (e.g. Wuhan)', from: 'From', to: 'To', addStay: '+ Add a stay', removeStay: 'Remove',
    needPlace: 'Choose a county, or “Outside the province” and type the place; remove the stay if there is none.', needDates: 'Fill in both dates.',
    symptoms: 'Symptoms you have now (tick all that apply)', contactWithCase: 'I have been in contact with a confirmed or suspected case in the last 14 days',
    standingNote: 'A declaration only adds facts about its holder; it never lowers a code another source has set. If this identity number was already declared from another phone number, this declaration does not replace the first one: the grid workers of the cell will verify it.',
    declare: 'Declare', sending: 'Sending…',
    pending: 'This identity number was already declared from another phone number. The first declaration stands; this one does not replace it. The grid workers of your cell will verify it with you.',
    tooMany: 'Too many declarations from this network; retry after {n} s.',
    network: 'Network problem: the declaration was not sent. Please try again.', failed: 'The service is unavailable ({status}); please try again later.',
    expired: 'Your code has expired; please declare again.',
    'code.green': 'Green code', 'code.yellow': 'Yellow code', 'code.red': 'Red code', 'code.unknown': 'Health code',
    qrAlt: 'Health code QR ({colour})', maskedId: 'Identity number', validUntil: 'Valid until',
    refreshIn: 'refreshes in {n} s', refreshing: 'Refreshing…', refreshRetry: 'Refresh failed; retrying in {n} s',
    again: 'Declare again', privacy: 'This page does not keep your identity number.', map: 'Epidemic risk map',
  },
};

const COLOURS = ['green', 'yellow', 'red'];
const OUTSIDE = '*outside';
const DAY = 86_400_000;
const FORM_MAX_AGE = 10 * 60_000;   // re-read the form's data (the clock above all) when it is older than this
const REQUEST_TIMEOUT = 30_000;

const $ = id => document.getElementById(id);
const body = document.body;
const els = {
  form: $('declaration'), formView: $('form-view'), result: $('result'), loading: $('loading'), loadFailed: $('load-failed'),
  notice: $('notice'), stays: $('stays'), symptoms: $('symptoms'), declare: $('declare'), banner: $('code-banner'),
  frame: $('qr-frame'), qr: $('qr'), maskedId: $('masked-id'), validUntil: $('valid-until'), refreshLine: $('refresh-line'),
};

let lang = readLang();
let form = null;                              // GET /api/v1/public/declarations/form
let offsetMinutes = 480, offsetText = '+08:00';
let clock = { server: 0 };                    // the server's domain clock when the form was read
let notice = null;                            // { key, vars, kind }: re-drawn on a language switch
let sending = false;
// The code being shown. The token is held here only: never written to the page or to storage.
let current = null;                           // { token, deadline (performance.now() scale), code }
let generation = 0;                           // bumped whenever the shown code is dropped: late answers are ignored
let refreshTimer = 0, tickTimer = 0, refreshAt = 0, refreshState = 'waiting', refreshCount = 0;

function readLang() {
  try { return localStorage.getItem('epigrid.lang') === 'en' ? 'en' : 'zh'; } catch { return 'zh'; }
}

function t(key, vars = {}) {
  const text = dict[lang][key] ?? dict.zh[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, k) => vars[k] ?? '');
}

// ---- time: the server's domain clock, shown and sent in the province's offset --------------------------------

function parseOffset(text) {
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(text ?? '');
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 480;
}

/** "YYYY-MM-DDTHH:mm:ss" of an instant in the province's offset. */
const local = ms => new Date(Math.floor(ms / 1000) * 1000 + offsetMinutes * 60_000).toISOString().slice(0, 19);
const localDate = ms => local(ms).slice(0, 10);
const isoAt = ms => local(ms) + offsetText;
const shown = iso => { const ms = Date.parse(iso); return Number.isNaN(ms) ? '' : local(ms).slice(0, 16).replace('T', ' '); };

// ---- language ---------------------------------------------------------------------------------------------------

function translate(root) {
  for (const el of root.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
}

function applyLang() {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = `${t('title')} · EpiGrid`;
  translate(document);
  $('lang').textContent = t('lang');
  $('lang').setAttribute('aria-label', lang === 'zh' ? 'Switch to English' : '切换到中文');
  if (form) {
    $('itinerary-hint').textContent = t('itineraryHint', { n: form.maxItineraryDays, offset: offsetText });
    for (const row of els.stays.children) labelStay(row);
    for (const label of els.symptoms.querySelectorAll('[data-symptom]')) label.textContent = symptomName(label.dataset.symptom);
  }
  drawNotice();
  if (current) drawCode(current.code);
  drawRefreshLine();
}

$('lang').addEventListener('click', () => {
  lang = lang === 'zh' ? 'en' : 'zh';
  try { localStorage.setItem('epigrid.lang', lang); } catch { /* private mode: this page still switches */ }
  applyLang();
});

// ---- network ------------------------------------------------------------------------------------------------------

async function call(method, path, payload) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), REQUEST_TIMEOUT);
  try {
    const headers = { accept: 'application/json, application/problem+json' };
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(path, {
      method, headers, body: payload === undefined ? undefined : JSON.stringify(payload),
      cache: 'no-store', credentials: 'omit', signal: abort.signal,
    });
    const at = performance.now();
    const json = await response.json().catch(() => null);
    return { status: response.status, ok: response.ok, json, retryAfter: retryAfter(response), serverTime: serverTime(response), at };
  } finally {
    clearTimeout(timer);
  }
}

/** The server's wall clock from the Date header (whole seconds: the later end of that second), or this phone's. */
function serverTime(response) {
  const date = Date.parse(response.headers.get('date') ?? '');
  return Number.isNaN(date) ? Date.now() : date + 1000;
}

/** When a token runs out, on this page's monotonic clock: its expiry less the server's time when it answered. */
function deadlineOf(answer) {
  const expiresAt = Date.parse(answer.json.tokenExpiresAt ?? '');
  return Number.isNaN(expiresAt) ? NaN : answer.at + (expiresAt - answer.serverTime);
}

function retryAfter(response) {
  const value = response.headers.get('retry-after');
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(1, Math.ceil(seconds));
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(1, Math.ceil((at - Date.now()) / 1000));
}

// ---- the form -----------------------------------------------------------------------------------------------------

async function loadForm() {
  els.loading.hidden = false;
  els.loadFailed.hidden = true;
  els.formView.hidden = true;
  let answer = null;
  try { answer = await call('GET', '/api/v1/public/declarations/form'); } catch { answer = null; }
  els.loading.hidden = true;
  if (!answer?.ok || !answer.json || Number.isNaN(Date.parse(answer.json.now))) {
    els.loadFailed.hidden = false;
    return false;
  }
  form = answer.json;
  form.loadedAt = performance.now();
  clock = { server: Date.parse(form.now) };
  offsetText = /^[+-]\d{2}:\d{2}$/.test(form.utcOffset ?? '') ? form.utcOffset : '+08:00';
  offsetMinutes = parseOffset(offsetText);
  form.maxItineraryDays = Math.max(1, Number(form.maxItineraryDays) || 60);
  form.symptoms = Array.isArray(form.symptoms) ? form.symptoms : [];
  form.counties = Array.isArray(form.counties) ? form.counties : [];
  drawSymptoms();
  resetStays();
  applyLang();
  showForm();
  body.dataset.ready = 'public-code';
  return true;
}

$('reload').addEventListener('click', () => loadForm());

const symptomName = value => {
  const s = form.symptoms.find(x => x.value === value);
  return s ? (lang === 'zh' ? s.zh : s.en) ?? s.value : value;
};

function drawSymptoms() {
  els.symptoms.replaceChildren(...form.symptoms.map(s => {
    const label = document.createElement('label');
    label.className = 'check';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.name = 'symptoms';
    box.value = s.value;
    box.id = `symptom-${s.value}`;
    const name = document.createElement('span');
    name.dataset.symptom = s.value;
    label.append(box, name);
    return label;
  }));
}

/** The dates a stay may take: from maxItineraryDays ago to today, in the province's calendar. */
function dateBounds() {
  const now = clock.server;
  return { min: localDate(now - (form.maxItineraryDays - 1) * DAY), max: localDate(now) };
}

function addStay() {
  const row = $('stay-template').content.firstElementChild.cloneNode(true);
  const select = row.querySelector('select.county');
  select.append(new Option('', ''));
  for (const c of form.counties) {
    const option = new Option('', c.code);
    option.dataset.county = c.code;
    select.append(option);
  }
  select.append(new Option('', OUTSIDE));
  const { min, max } = dateBounds();
  for (const input of row.querySelectorAll('input[type=date]')) { input.min = min; input.max = max; input.value = max; }
  select.addEventListener('change', () => {
    const outside = select.value === OUTSIDE;
    row.querySelector('.area-label').hidden = !outside;
    if (outside) row.querySelector('input.area').focus();
  });
  row.querySelector('.remove-stay').addEventListener('click', () => { row.remove(); numberStays(); });
  translate(row);
  els.stays.append(row);
  labelStay(row);
  numberStays();
  return row;
}

function labelStay(row) {
  for (const option of row.querySelector('select.county').options) {
    if (option.value === '') option.textContent = t('chooseCounty');
    else if (option.value === OUTSIDE) option.textContent = t('outside');
    else {
      const c = form.counties.find(x => x.code === option.value);
      option.textContent = c ? (lang === 'zh' ? c.nameZh : c.nameEn) : option.value;
    }
  }
  translate(row);
  row.querySelector('.stay-number').textContent = t('stay', { n: [...els.stays.children].indexOf(row) + 1 });
}

function numberStays() {
  [...els.stays.children].forEach((row, i) => { row.querySelector('.stay-number').textContent = t('stay', { n: i + 1 }); });
}

function resetStays() {
  els.stays.replaceChildren();
  addStay();
}

$('add-stay').addEventListener('click', () => addStay().querySelector('select.county').focus());

/** A stay's end as the server wants it: the day's last second, or now when the day is today (never after now). */
function stayEnd(date) {
  const now = clock.server;
  return date >= localDate(now) ? isoAt(now) : `${date}T23:59:59${offsetText}`;
}

/** The declaration from the form, or null when a stay lacks its place or dates (marked on the stay). */
function collect() {
  let complete = true;
  const itinerary = [...els.stays.children].map(row => {
    const select = row.querySelector('select.county');
    const area = row.querySelector('input.area');
    const from = row.querySelector('input.from').value, to = row.querySelector('input.to').value;
    const stay = select.value === OUTSIDE ? { area: area.value.trim() } : { county: select.value };
    if (select.value === '' || (select.value === OUTSIDE && !stay.area)) {
      complete = false;
      mark(row.querySelector('[data-stay-error="county"]'), t('needPlace'), select.value === OUTSIDE ? area : select);
    }
    if (!from || !to) {
      complete = false;
      mark(row.querySelector('[data-stay-error="from"]'), t('needDates'), row.querySelector(from ? 'input.to' : 'input.from'));
    }
    stay.from = `${from}T00:00:00${offsetText}`;
    stay.to = stayEnd(to);
    return stay;
  });
  if (!complete) return null;
  const value = id => $(id).value.trim();
  return {
    idNumber: value('idNumber'), name: value('name'), phone: value('phone'), cellId: value('cellId'),
    itinerary,
    symptoms: [...els.symptoms.querySelectorAll('input:checked')].map(box => box.value),
    contactWithCase: $('contactWithCase').checked,
  };
}

// ---- field errors -------------------------------------------------------------------------------------------------

function clearErrors() {
  for (const slot of document.querySelectorAll('.field-error')) slot.textContent = '';
  for (const el of document.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
}

function mark(slot, message, input) {
  slot.textContent = slot.textContent ? `${slot.textContent} ${message}` : message;
  input?.setAttribute('aria-invalid', 'true');
}

/** "$.Itinerary[0].To" and "itinerary[0].to" alike: the JSON path in the request's own spelling. */
const normalise = key => String(key ?? '').replace(/^\$\.?/, '').replace(/(^|\.)([A-Z])/g, (_, dot, c) => dot + c.toLowerCase());

function slotFor(key) {
  const stay = /^itinerary\[(\d+)\](?:\.(\w+))?/.exec(key);
  if (stay) {
    const row = els.stays.children[Number(stay[1])];
    const field = ['county', 'area', 'from', 'to'].includes(stay[2]) ? stay[2] : '';
    if (row) return { slot: row.querySelector(`[data-stay-error="${field}"]`), input: field ? row.querySelector(`.${field}`) : null };
    return { slot: document.querySelector('[data-error-for="itinerary"]'), input: null };
  }
  if (/^itinerary\b/.test(key)) return { slot: document.querySelector('[data-error-for="itinerary"]'), input: null };
  if (/^symptoms\b/.test(key)) return { slot: document.querySelector('[data-error-for="symptoms"]'), input: null };
  const top = /^\w+$/.test(key) ? document.querySelector(`#declaration [data-error-for="${key}"]`) : null;
  if (top) return { slot: top, input: $(key) };
  return { slot: $('form-error'), input: null };
}

function showProblem(problem) {
  let shown = 0;
  for (const [key, messages] of Object.entries(problem?.errors ?? {})) {
    const { slot, input } = slotFor(normalise(key));
    mark(slot, [].concat(messages).join(' '), input);
    shown++;
  }
  if (!shown) mark($('form-error'), problem?.detail || problem?.title || t('failed', { status: 400 }), null);
  focusFirstError();
}

function focusFirstError() {
  const first = document.querySelector('#declaration [aria-invalid=true]') ?? document.querySelector('#declaration .field-error:not(:empty)');
  first?.scrollIntoView({ block: 'center' });
  if (first?.matches('input, select')) first.focus({ preventScroll: true });
}

// ---- notices ------------------------------------------------------------------------------------------------------

function setNotice(key, vars = {}, kind = 'info') {
  notice = key ? { key, vars, kind } : null;
  drawNotice();
}

function drawNotice() {
  els.notice.hidden = !notice;
  if (!notice) { els.notice.textContent = ''; return; }
  els.notice.className = `notice notice-${notice.kind}`;
  els.notice.textContent = t(notice.key, notice.vars);
}

// ---- views ----------------------------------------------------------------------------------------------------------

function showForm() {
  els.result.hidden = true;
  $('again').hidden = true;
  els.formView.hidden = false;
}

/** The form as new: no identity number, name or phone left in any input. */
function wipeForm() {
  els.form.reset();
  clearErrors();
  resetStays();
}

els.form.addEventListener('submit', async event => {
  event.preventDefault();
  if (sending) return;
  clearErrors();
  setNotice(null);
  const declaration = collect();
  if (!declaration) { focusFirstError(); return; }
  sending = true;
  els.declare.disabled = true;
  els.declare.textContent = t('sending');
  let answer = null;
  try { answer = await call('POST', '/api/v1/public/declarations', declaration); } catch { answer = null; }
  sending = false;
  els.declare.disabled = false;
  els.declare.textContent = t('declare');
  if (!answer) { mark($('form-error'), t('network'), null); return; }
  const json = answer.json;
  if (answer.status === 202 || json?.status === 'verification-pending') pending();
  else if (answer.ok && json?.code && json.token) accepted(json, deadlineOf(answer));
  else if (answer.status === 400 || answer.status === 422) showProblem(json);
  else if (answer.status === 429) setNotice('tooMany', { n: answer.retryAfter ?? 60 }, 'warning');
  else mark($('form-error'), t('failed', { status: answer.status }), null);
});

function pending() {
  dropCode();
  wipeForm();
  els.formView.hidden = true;
  $('again').hidden = false;
  setNotice('pending', {}, 'warning');
  body.dataset.status = 'verification-pending';
  window.scrollTo(0, 0);
}

function accepted(answer, deadline) {
  dropCode();
  wipeForm();
  setNotice(null);
  refreshCount = 0;
  delete body.dataset.refreshed;
  current = { token: answer.token, deadline, code: answer.code };
  drawCode(answer.code, answer.qr);
  els.formView.hidden = true;
  els.result.hidden = false;
  $('again').hidden = false;
  body.dataset.status = 'accepted';
  window.scrollTo(0, 0);
  scheduleRefresh();
}

function drawCode(code, qr) {
  const colour = COLOURS.includes(code?.colour) ? code.colour : 'unknown';
  const name = t(`code.${colour}`);
  els.banner.className = `code-banner code-${colour}`;
  els.banner.textContent = name;
  els.frame.className = `qr-frame code-${colour}`;
  els.qr.className = `code-${colour}`;
  els.qr.alt = t('qrAlt', { colour: name });
  if (qr !== undefined) {
    if (typeof qr === 'string' && qr.startsWith('data:image/')) els.qr.src = qr;
    else els.qr.removeAttribute('src');
  }
  els.maskedId.textContent = code?.maskedId ?? '';
  els.validUntil.textContent = code?.validUntil ? `${shown(code.validUntil)} (UTC${offsetText})` : '';
  body.dataset.code = code?.colour ?? 'unknown';
}

/** Forgets the shown code: its token, its timers, its QR. */
function dropCode() {
  generation++;
  current = null;
  clearTimeout(refreshTimer);
  clearInterval(tickTimer);
  refreshTimer = tickTimer = 0;
  els.qr.removeAttribute('src');
  els.refreshLine.textContent = '';
  delete body.dataset.code;
}

$('again').addEventListener('click', async () => {
  dropCode();
  setNotice(null);
  delete body.dataset.status;
  wipeForm();
  window.scrollTo(0, 0);
  // The clock the dates are bounded by is the server's: read it again when the form's copy has grown old.
  if (!form || performance.now() - form.loadedAt > FORM_MAX_AGE) await loadForm();
  else showForm();
  $('idNumber').focus();
});

// ---- refreshing the code before its token expires --------------------------------------------------------------------

function scheduleRefresh(delayMs) {
  clearTimeout(refreshTimer);
  if (!current || Number.isNaN(current.deadline)) return;
  const remaining = current.deadline - performance.now();
  // 30 s before expiry or at 80% of the remaining lifetime, whichever comes first; at least 1 s; within a timer's range.
  const delay = delayMs ?? Math.min(2 ** 31 - 1, Math.max(1000, Math.min(remaining - 30_000, remaining * 0.8)));
  refreshAt = performance.now() + delay;
  refreshState = delayMs === undefined ? 'waiting' : 'retry';
  refreshTimer = setTimeout(refresh, delay);
  if (!tickTimer) tickTimer = setInterval(drawRefreshLine, 1000);
  drawRefreshLine();
}

function drawRefreshLine() {
  if (!current) { els.refreshLine.textContent = ''; return; }
  const n = Math.max(0, Math.ceil((refreshAt - performance.now()) / 1000));
  els.refreshLine.textContent = refreshState === 'refreshing' ? t('refreshing')
    : t(refreshState === 'retry' ? 'refreshRetry' : 'refreshIn', { n });
}

async function refresh() {
  if (!current || refreshState === 'refreshing') return;
  clearTimeout(refreshTimer);
  const mine = generation;
  refreshState = 'refreshing';
  drawRefreshLine();
  let answer = null;
  try { answer = await call('POST', '/api/v1/public/codes:refresh', { token: current.token }); } catch { answer = null; }
  if (mine !== generation || !current) return;  // the reader left this code meanwhile
  refreshState = 'waiting';
  if (answer?.ok && answer.json?.code && answer.json.token) {
    current = { token: answer.json.token, deadline: deadlineOf(answer), code: answer.json.code };
    drawCode(answer.json.code, answer.json.qr);
    body.dataset.refreshed = String(++refreshCount);
    scheduleRefresh();
  } else if (answer && [400, 401, 403, 404, 410].includes(answer.status)) {
    expired();
  } else {
    // A weak network or a busy server: try again soon, while the token may still be good.
    scheduleRefresh(1000 * Math.min(30, answer?.retryAfter ?? 3));
  }
}

function expired() {
  dropCode();
  wipeForm();
  showForm();
  setNotice('expired', {}, 'error');
  body.dataset.status = 'expired';
  window.scrollTo(0, 0);
}

// A phone puts background tabs' timers to sleep: on coming back, refresh at once if it is due.
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible' && current && refreshState !== 'refreshing' && performance.now() >= refreshAt) refresh();
});

applyLang();
loadForm();
