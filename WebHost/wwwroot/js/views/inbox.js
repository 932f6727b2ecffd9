// Grid workers' inbox, phone first: my cells (marked when closed or controlled), live alerts newest first with acknowledge,
// travellers to visit (each with a visit form: what was found at the door, answering the task), check-ins due today (each
// with a check-in form), forms to register a traveller found at a door and to report a suspected case, and the outbox. A
// banner shows while the connection is down; on return the hub's catchUp fills the gap, as it does when a pushed alert
// shows that one before it was lost (prevSeq), and once a minute.
//
// Offline first (js/offline.js). Every write (a visit, a check-in, a traveller, a suspected case, an acknowledgement) goes
// into the phone's outbox with its idempotency key and is sent from there, in order, when the network allows; the outbox
// list shows each item waiting, sent or refused (with the problem's text). Every list is kept on the phone as last known,
// and drawn from there, marked with its time, when the server cannot be reached.
import { t, pick, localTime } from '../i18n.js';
import { get, post, connectHub } from '../api.js';
import { Outbox, loadState, saveState } from '../offline.js';
import { residentIdProblem } from '../identity.js';
import { esc } from './countyDetail.js';

const OUTCOMES = ['found', 'not-home', 'moved-away', 'refused'];
// The tasks a worker answers at the door with a visit (a traveller to verify, a person who missed a check-in, a close
// contact to trace, a stay in a risk area to verify, a declaration to follow up, a case in the cell, abnormal readings).
const VISIT_TASKS = new Set(['traveller-visit', 'check-in-missed', 'contact-trace', 'place-risk', 'self-declared-risk', 'person-case', 'check-in-symptoms']);
const RISKS = ['high', 'medium', 'low'];
const MODES = ['train', 'car', 'bus', 'flight', 'other'];

export async function inboxView(main, { publicMap, user, connection }) {
  const offset = publicMap.utcOffsetMinutes;
  const stateKey = `inbox:${user.sub}`;
  const alerts = new Map();
  const cells = new Map();
  // Every alert of ours up to lastSeq is known. Only the server's answers (the first list, catchUp) move it; a live
  // alert does not, since alerts before it may have been lost on the way. Live alerts past it are remembered by seq.
  let lastSeq = 0;
  const beyond = new Set();
  // What the visit and check-in lists last drew (see renderAlerts, renderCheckIns).
  let visitsShown = null, dueShown = null;
  main.innerHTML = `<div class="page inbox">
    <p class="stale small" data-testid="stale" role="status" hidden></p>
    <section><h2>${t('myCells')}</h2><ul class="my-cells" data-testid="my-cells"></ul></section>
    <section><h2>${t('alerts')}</h2><ul class="alerts" data-testid="alerts"></ul></section>
    <p class="field-result small" data-testid="field-result" role="status"></p>
    <section><h2>${t('outbox')}</h2><ul class="outbox" data-testid="outbox"></ul></section>
    <section><h2>${t('visit')}</h2><ul class="visits" data-testid="visits"></ul></section>
    <section><h2>${t('checkins')}</h2><ul class="checkins" data-testid="checkins"></ul></section>
    <section><h2>${t('atTheDoor')}</h2>
      <details class="field-form"><summary>${t('registerTraveller')}</summary>${travellerForm(user.cells)}</details>
      <details class="field-form"><summary>${t('reportSuspected')}</summary>${suspectedForm(user.cells)}</details></section></div>`;
  const $ = s => main.querySelector(s);

  const keep = a => {
    const known = alerts.get(a.id);
    if (!known || known.status !== 'acknowledged') alerts.set(a.id, a);
  };
  // An answer of the server, complete up to its last alert: the point to resume from.
  const settle = list => {
    list.forEach(keep);
    if (list.length) lastSeq = Math.max(lastSeq, list[list.length - 1].seq);
    for (const seq of beyond) if (seq <= lastSeq) beyond.delete(seq);
  };
  // A pushed alert names the one its group was pushed before it (prevSeq). Not seen, and not caught up past: a push
  // was lost, and catchUp brings it. No prevSeq: the server cannot tell (it has just restarted), so catch up too.
  let loaded = false;
  const missedBefore = a => a.prevSeq == null || (a.prevSeq > lastSeq && !beyond.has(a.prevSeq));
  const live = a => {
    const gap = missedBefore(a);
    keep(a);
    if (a.seq > lastSeq) beyond.add(a.seq);
    if (gap && loaded) catchUpSoon();
  };

  // What the outbox holds now: the tasks and persons with a visit, a check-in or an acknowledgement on its way.
  let queued = [];
  const waiting = kind => new Set(queued.filter(i => i.kind === kind && i.state === 'waiting').map(i => i.ref));

  // A county-wide alert (no cell: a colour change) informs the worker; its officials acknowledge it (the server refuses a
  // worker's acknowledgement, AlertAudience.ActingGroupsOf), so no form is offered for it.
  function renderAlerts() {
    const list = [...alerts.values()].sort((a, b) => b.seq - a.seq);
    const acking = waiting('ack');
    $('.alerts').innerHTML = list.map(a => `
      <li class="alert sev-${esc(a.severity)} ${a.status}" data-alert="${esc(a.id)}" data-status="${esc(a.status)}">
        <div class="msg">${esc(pick(a.text ?? a.message))}</div>
        <div class="small muted">${t('raised')} ${localTime(a.raisedAt, offset)}${a.dueBy ? ` · ${t('due')} ${localTime(a.dueBy, offset)}` : ''}${a.cellId ? ` · ${esc(a.cellId)}` : ''}</div>
        ${a.status === 'open' && !a.cellId
          ? `<div class="small muted">${t('forOfficials')}</div>`
          : a.status === 'open' && acking.has(a.id)
          ? `<div class="small queued">⏳ ${t('queued')}</div>`
          : a.status === 'open'
          ? `<form class="ack"><input name="note" placeholder="${t('note')}" maxlength="500" aria-label="${t('note')}"><button type="submit">${t('ack')}</button></form>`
          : `<div class="small">✔ ${t('acked')} ${esc(a.acknowledgedBy ?? '')} ${localTime(a.acknowledgedAt, offset)}${a.note ? ` · ${esc(a.note)}` : ''}</div>`}
      </li>`).join('') || `<li class="muted">${t('none')}</li>`;
    const visits = list.filter(a => VISIT_TASKS.has(a.kind) && a.cellId && a.status === 'open');
    const visiting = waiting('visit');
    // Redrawn only when the tasks change: a worker filling in a visit form keeps it while other alerts arrive.
    const key = visits.map(a => a.id + (visiting.has(a.id) ? '*' : '')).join(' ');
    if (key !== visitsShown) {
      visitsShown = key;
      $('.visits').innerHTML = visits.map(a => `<li data-alert="${esc(a.id)}" data-cell="${esc(a.cellId)}" data-kind="${esc(a.kind)}"${a.subject?.personRef
          ? ` data-person="${esc(a.subject.personRef)}"` : ''}>${a.kind === 'traveller-visit'
          ? `<b>${esc(a.subject.travellerId)}</b> ${t('from')} ${esc(a.subject.originArea)} (${esc(a.subject.originRisk)})`
          : `<b>${esc(pick(a.text ?? a.message))}</b>`} · ${esc(a.cellId)}${a.dueBy ? ` · ${t('due')} ${localTime(a.dueBy, offset)}` : ''}
        ${visiting.has(a.id) ? `<div class="small queued">⏳ ${t('queued')}</div>` : `<details><summary>${t('recordVisit')}</summary>${visitForm(a.id)}</details>`}</li>`).join('')
        || `<li class="muted">${t('none')}</li>`;
    }
    remember();
  }

  // One visit id per task, made when its form is first drawn and kept across redraws: a submission repeated after a lost
  // answer is the same visit, which the server records once (201, then 200 "duplicate").
  const visitIds = new Map();
  const visitForm = alertId => {
    if (!visitIds.has(alertId)) visitIds.set(alertId, crypto.randomUUID());
    return `<form class="visit" data-visit-id="${visitIds.get(alertId)}">
      <label>${t('outcome')} <select name="outcome">${OUTCOMES.map(o => `<option value="${o}">${t('outcome.' + o)}</option>`).join('')}</select></label>
      <label>${t('temperature')} <input name="temperature" type="number" step="0.1" min="34" max="43" inputmode="decimal"></label>
      <input name="symptoms" placeholder="${t('symptomsList')}" maxlength="200" aria-label="${t('symptomsList')}">
      <input name="note" placeholder="${t('note')}" maxlength="400" aria-label="${t('note')}">
      <button type="submit">${t('save')}</button><span class="small form-problem" role="alert"></span></form>`;
  };
  const checkInForm = () => `<form class="check-in">
      <label>${t('temperature')} <input name="temperature" type="number" step="0.1" min="34" max="43" inputmode="decimal" required></label>
      <input name="symptoms" placeholder="${t('symptomsList')}" maxlength="200" aria-label="${t('symptomsList')}">
      <button type="submit">${t('recordCheckIn')}</button><span class="small form-problem" role="alert"></span></form>`;

  function renderCells() {
    $('.my-cells').innerHTML = user.cells.map(id => {
      const c = cells.get(id);
      if (!c) return `<li>${esc(id)}</li>`;
      const active = c.cases.filter(k => k.status === 'active' || k.status === 'hospitalised').length;
      // The control in force (issue 17); one whose until has passed by the server's clock has lapsed.
      const control = c.control && !(c.control.until && Date.parse(c.control.until) <= now) ? c.control : null;
      const mark = control ? `<br><span class="control-mark control-${esc(control.level)}" data-control="${esc(control.level)}">${t('control.' + control.level)}${control.until
        ? ` ${t('controlUntil')} ${localTime(control.until, offset)}` : ''}</span> <span class="small">${esc(control.reason)}</span>` : '';
      return `<li data-cell="${esc(id)}"><b>${esc(pick(c.name))}</b> <span class="muted small">${esc(id)} · ${c.households} ${t('households')}</span>${mark}<br>
        <span class="small">${t('confirmedTotal')} ${c.cases.filter(k => k.kind === 'confirmed' && k.status !== 'ruled-out').length} · ${t('active')} ${active} · ${t('travellers')} ${c.travellers.length}</span></li>`;
    }).join('');
    remember();
  }

  // Persons under a red or yellow code who still owe today's check-in, as the county's quarantine watch knows them.
  const dues = new Map();
  function renderCheckIns() {
    const due = [...dues.values()].flatMap(d => d.persons.map(p => ({ ...p, cellId: d.cellId })));
    const checking = waiting('check-in');
    const key = due.map(p => `${p.personRef}:${p.colour}:${p.daysMissed}:${checking.has(p.personRef)}`).join(' ');
    if (key === dueShown) return;
    dueShown = key;
    $('.checkins').innerHTML = due.map(p => `<li data-person="${esc(p.personRef)}" data-cell="${esc(p.cellId)}" class="code-${esc(p.colour)}"><b>${esc(p.maskedId)}</b> · ${t(p.colour)}
      ${p.daysMissed > 0 ? ` · <span class="overdue">${t('daysMissed').replace('{n}', p.daysMissed)}</span>` : ''} · ${esc(p.cellId)}
      ${checking.has(p.personRef) ? `<div class="small queued">⏳ ${t('queued')}</div>` : `<details><summary>${t('recordCheckIn')}</summary>${checkInForm()}</details>`}</li>`).join('')
      || `<li class="muted">${t('none')}</li>`;
    remember();
  }
  const refreshCheckIns = async () => {
    await Promise.all(user.cells.map(async id => { try { dues.set(id, await get(`/api/v1/cells/${id}/check-ins-due`)); } catch { /* not registered yet, or no network */ } }));
    renderCheckIns();
  };
  const personKinds = new Set(['check-in-missed', 'check-in-symptoms', 'quarantine-release', 'traveller-visit']);

  // The server's clock as this phone's reads it (a phone's clock may be wrong): visits and check-ins are dated by it.
  // Offline, the public map is the last one kept and its time is old: the difference measured when last online holds.
  const last = await loadState(stateKey).catch(() => null);
  let now = Date.parse(publicMap.now);
  let skew = publicMap.offlineSince && last ? last.value.skew : now - Date.now();
  const serverNow = () => new Date(Date.now() + skew).toISOString();
  const loadCell = async id => { try { cells.set(id, await get(`/api/v1/cells/${id}`)); } catch { /* not registered yet, or no network */ } };
  const refreshCells = async () => {
    await Promise.all(user.cells.map(loadCell));
    try {
      now = Date.parse((await get('/api/v1/public/map')).now);
      skew = now - Date.now();
    } catch { /* no network: the last difference holds */ }
    renderCells();
  };

  // The lists as last known, kept on the phone for the next time the server cannot be reached (at most every half second).
  // Nothing is kept once the view is gone: a sign-out deletes the phone's state, and a save still pending (or a late
  // answer redrawing a list) must not write the last worker's lists back after it.
  let remembering = null, gone = false;
  function remember() {
    if (!loaded || remembering || gone) return;
    remembering = setTimeout(() => {
      remembering = null;
      saveState(stateKey, { alerts: [...alerts.values()], lastSeq, cells: [...cells], dues: [...dues], skew }, serverNow()).catch(() => {});
    }, 500);
  }
  // Offline: the lists drawn are the last known ones, of <savedAt>; or none was kept yet on this phone (<nothingKept>).
  const stale = (savedAt, nothingKept = false) => {
    const box = $('[data-testid=stale]');
    box.hidden = !savedAt && !nothingKept;
    box.textContent = savedAt ? t('lastKnown', { time: localTime(savedAt, offset) }) : nothingKept ? t('nothingKept') : '';
  };

  const catchUp = async () => {
    for (let n = 0; ;) {
      const missed = await hub.connection.invoke('catchUp', lastSeq);
      settle(missed);
      n += missed.length;
      if (missed.length < 1000) return n;
    }
  };
  // One catch-up at a time; a gap noticed while one runs gets one more after it. Resolves to the alerts it brought.
  let catching = null, again = false;
  const catchUpSoon = () => {
    if (catching) { again = true; return catching; }
    catching = (async () => {
      let n = 0;
      try {
        do { again = false; n += await catchUp(); renderAlerts(); } while (again);
      } catch { /* the connection is down: its return catches up */ } finally { catching = null; }
      return n;
    })();
    return catching;
  };

  // The server's lists, read afresh; false when the server cannot be reached (the last known ones stay drawn).
  let fresh = false;
  const loadLive = async () => {
    try { settle(await get('/api/v1/alerts?limit=1000')); } catch (error) { if (error.status === undefined) return false; throw error; }
    fresh = true;
    loaded = true;
    stale(null);
    renderAlerts();
    await catchUpSoon(); // what the first list did not hold (past its 1,000) or lost pushes while it loaded
    await refreshCells();
    await refreshCheckIns();
    return true;
  };

  // The hub's first word (connected, or not reachable): the first lists are read after it, so that nothing raised between
  // the list and the subscription is missed (catchUp covers the rest).
  let firstAnswer;
  const answered = new Promise(resolve => { firstAnswer = resolve; });
  const hub = connectHub('/hubs/grid', {
    on: {
      alert: a => { live(a); renderAlerts(); if (personKinds.has(a.kind)) refreshCheckIns(); },
      alertUpdated: a => { alerts.set(a.id, a); renderAlerts(); },
      cellChanged: c => { if (user.cells.includes(c.cellId)) loadCell(c.cellId).then(renderCells); },
    },
    status: async s => {
      connection(s);
      firstAnswer();
      const down = wasDown;
      if (s === 'reconnecting' || s === 'closed') wasDown = true;
      if ((s !== 'reconnected' && s !== 'connected') || !loaded) return;
      wasDown = false;
      outbox.flush();
      if (!fresh) { if (await loadLive()) connection('caught-up', 0); return; }
      // Connected: what was raised while connecting; connected again: what was missed while away, and the lists afresh.
      const n = await catchUpSoon();
      if (s === 'connected' && !down) return;
      await refreshCells();
      await refreshCheckIns();
      connection('caught-up', n);
    },
  });
  let wasDown = false;

  // The answer to a visit or a check-in, kept above the lists.
  const recorded = text => { $('[data-testid=field-result]').textContent = text; };
  const outbox = new Outbox(user.sub, {
    send: item => post(item.path, item.body),
    onChange: items => { queued = items; renderOutbox(); renderAlerts(); renderCheckIns(); },
    onSent: (item, answer) => {
      if (item.kind === 'visit') {
        if (answer.alert) { alerts.set(answer.alert.id, answer.alert); visitIds.delete(answer.alert.id); }
        recorded(t('visitRecorded', { id: answer.visitId, outcome: t('outcome.' + answer.outcome) }));
      } else if (item.kind === 'ack') {
        alerts.set(answer.id, answer);
      } else if (item.kind === 'check-in') {
        recorded(t('checkInRecorded', { colour: answer.code ? t(answer.code.colour) : '—' }));
        refreshCheckIns();
      } else {
        recorded(t(item.kind === 'traveller' ? 'travellerRecorded' : 'suspectedRecorded', { code: answer.code ? t(answer.code.colour) : '—' }));
        refreshCells();
      }
    },
  });

  function renderOutbox() {
    $('.outbox').innerHTML = queued.map(i => `<li data-seq="${i.seq}" data-kind="${esc(i.kind)}" data-state="${i.state}" class="outbox-${i.state}">
      <b>${esc(i.label)}</b> <span class="small muted">${localTime(i.at, offset)}</span>
      <span class="state">${t('outbox.' + i.state)}${i.state === 'waiting' && i.attempts ? ` (${i.attempts})` : ''}</span>
      ${i.problem ? `<div class="small form-problem">${esc(i.problem)} <button type="button" class="dismiss" data-seq="${i.seq}">${t('dismiss')}</button></div>` : ''}</li>`).join('')
      || `<li class="muted">${t('outboxEmpty')}</li>`;
  }
  main.addEventListener('click', e => {
    if (e.target.matches('button.dismiss')) outbox.dismiss(Number(e.target.dataset.seq));
  });

  const symptomsOf = form => form.elements.symptoms.value.split(/[,，、]/).map(s => s.trim()).filter(Boolean);
  /** A moment typed in the province's local time (datetime-local), as ISO-8601 with the province's offset. */
  const provinceMoment = value => {
    const sign = offset < 0 ? '-' : '+', abs = Math.abs(offset);
    return `${value.length === 16 ? value + ':00' : value}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  };
  const masked = id => '*'.repeat(17) + id.trim().toUpperCase().slice(-1);

  // Each form is read here into an outbox item; the item is on the phone before the form clears.
  const writes = {
    'form.visit': form => {
      const item = form.closest('li');
      const temperature = form.elements.temperature.value;
      const symptoms = symptomsOf(form);
      return {
        kind: 'visit', ref: item.dataset.alert, key: form.dataset.visitId,
        label: `${t('recordVisit')} · ${item.querySelector('b').textContent} · ${t('outcome.' + form.elements.outcome.value)}`,
        path: `/api/v1/cells/${item.dataset.cell}/visits`,
        body: {
          visitId: form.dataset.visitId, alertId: item.dataset.alert, personRef: item.dataset.person ?? null, visitedAt: serverNow(),
          outcome: form.elements.outcome.value,
          temperature: temperature ? Number(temperature) : null, symptoms: symptoms.length ? symptoms : null, note: form.elements.note.value || null,
        },
      };
    },
    'form.check-in': form => {
      const item = form.closest('li');
      const occurredAt = serverNow();
      return {
        kind: 'check-in', ref: item.dataset.person, key: `${item.dataset.person}@${occurredAt}`,
        label: `${t('recordCheckIn')} · ${item.querySelector('b').textContent} · ${form.elements.temperature.value} °C`,
        path: `/api/v1/persons/${item.dataset.person}/check-ins`,
        body: { occurredAt, temperature: Number(form.elements.temperature.value), symptoms: symptomsOf(form) },
      };
    },
    'form.traveller': form => {
      const f = form.elements;
      const problem = residentIdProblem(f.idNumber.value);
      if (problem) throw Object.assign(new Error(t(problem)), { field: 'idNumber' });
      const sourceRecordId = crypto.randomUUID();
      const symptoms = symptomsOf(form);
      return {
        kind: 'traveller', ref: sourceRecordId, key: sourceRecordId,
        label: `${t('registerTraveller')} · ${masked(f.idNumber.value)} · ${f.cellId.value}`,
        path: `/api/v1/cells/${f.cellId.value}/travellers`,
        body: {
          idNumber: f.idNumber.value.trim(), name: f.name.value.trim() || null, phone: f.phone.value.trim() || null,
          origin: { area: f.originArea.value.trim(), risk: f.originRisk.value }, arrivedAt: provinceMoment(f.arrivedAt.value),
          mode: f.mode.value, quarantine: f.quarantine.value, source: 'field-app', sourceRecordId,
          symptoms: symptoms.length ? symptoms : null,
        },
      };
    },
    'form.suspected': form => {
      const f = form.elements;
      const idNumber = f.idNumber.value.trim();
      const problem = idNumber ? residentIdProblem(idNumber) : null;
      if (problem) throw Object.assign(new Error(t(problem)), { field: 'idNumber' });
      // A case id the phone makes: the field's report of a suspected case, until the county's investigators name it.
      const caseId = `field-${crypto.randomUUID()}`;
      return {
        kind: 'suspected', ref: caseId, key: caseId,
        label: `${t('reportSuspected')} · ${idNumber ? masked(idNumber) : caseId.slice(0, 14)} · ${f.cellId.value}`,
        path: `/api/v1/cells/${f.cellId.value}/cases`,
        body: {
          caseId, kind: 'suspected', local: f.local.checked, occurredAt: serverNow(), idNumber: idNumber || null,
          onsetAt: f.onsetAt.value ? provinceMoment(f.onsetAt.value) : null,
        },
      };
    },
    'form.ack': form => {
      const id = form.closest('[data-alert]').dataset.alert;
      return {
        kind: 'ack', ref: id, key: id, label: `${t('ack')} · ${form.closest('[data-alert]').querySelector('.msg').textContent.slice(0, 40)}`,
        path: `/api/v1/alerts/${encodeURIComponent(id)}/ack`, body: { note: form.elements.note.value || null },
      };
    },
  };

  main.addEventListener('submit', async e => {
    const [, read] = Object.entries(writes).find(([selector]) => e.target.matches(selector)) ?? [];
    if (!read) return;
    e.preventDefault();
    const form = e.target, button = form.querySelector('button[type=submit]'), problem = form.querySelector('.form-problem');
    if (problem) problem.textContent = '';
    try {
      button.disabled = true;
      const item = { ...read(form), at: serverNow() };
      await outbox.add(item);
      if (form.matches('form.traveller, form.suspected')) { form.reset(); defaults(form); }
      recorded(t('queuedItem', { label: item.label }));
    } catch (error) {
      if (problem) problem.textContent = error.message;
      if (error.field) form.elements[error.field]?.focus();
    } finally { button.disabled = false; }
  });
  const defaults = form => { if (form.elements.arrivedAt) form.elements.arrivedAt.value = localTime(serverNow(), offset).replace(' ', 'T'); };
  main.querySelectorAll('form.traveller').forEach(defaults);

  // First: the last known lists, drawn at once. Then the server's, if it answers.
  if (last) {
    for (const a of last.value.alerts) alerts.set(a.id, a);
    lastSeq = last.value.lastSeq;
    for (const [id, c] of last.value.cells) cells.set(id, c);
    for (const [id, d] of last.value.dues) dues.set(id, d);
  }
  queued = await outbox.items();
  renderOutbox();
  await answered;
  if (!(await loadLive())) {
    loaded = true;
    stale(last?.savedAt ?? null, !last);
    renderAlerts();
    renderCells();
    renderCheckIns();
  }
  outbox.flush();
  // A lost push is noticed at the next alert of its group; for the last one before a quiet spell, look now and then.
  const periodic = setInterval(() => { if (hub.connection.state === 'Connected') catchUpSoon(); }, 60_000);
  return () => { gone = true; clearTimeout(remembering); clearInterval(periodic); outbox.stop(); return hub.stop(); };
}

function cellOptions(cells) { return cells.map(c => `<option value="${esc(c)}">${esc(c)}</option>`).join(''); }

function travellerForm(cells) {
  return `<form class="traveller" data-testid="traveller-form" autocomplete="off">
    <label>${t('idNumber')} <input name="idNumber" required maxlength="18" inputmode="text" pattern="[0-9]{17}[0-9Xx]"></label>
    <label>${t('personName')} <input name="name" maxlength="50"></label>
    <label>${t('phone')} <input name="phone" type="tel" maxlength="20"></label>
    <label>${t('originArea')} <input name="originArea" required maxlength="100"></label>
    <label>${t('originRisk')} <select name="originRisk">${RISKS.map(r => `<option value="${r}">${t('risk.' + r)}</option>`).join('')}</select></label>
    <label>${t('arrived')} <input name="arrivedAt" type="datetime-local" required></label>
    <label>${t('mode')} <select name="mode">${MODES.map(m => `<option value="${m}">${t('mode.' + m)}</option>`).join('')}</select></label>
    <label>${t('quarantine')} <select name="quarantine"><option value="home">${t('home')}</option><option value="central">${t('central')}</option></select></label>
    <label>${t('cell')} <select name="cellId">${cellOptions(cells)}</select></label>
    <input name="symptoms" placeholder="${t('symptomsList')}" maxlength="200" aria-label="${t('symptomsList')}">
    <button type="submit">${t('save')}</button><span class="small form-problem" role="alert"></span></form>`;
}

function suspectedForm(cells) {
  return `<form class="suspected" data-testid="suspected-form" autocomplete="off">
    <label>${t('idNumber')} <input name="idNumber" maxlength="18" inputmode="text" pattern="[0-9]{17}[0-9Xx]"></label>
    <label>${t('onset')} <input name="onsetAt" type="datetime-local"></label>
    <label class="check"><input name="local" type="checkbox" checked> ${t('localInfection')}</label>
    <label>${t('cell')} <select name="cellId">${cellOptions(cells)}</select></label>
    <button type="submit">${t('save')}</button><span class="small form-problem" role="alert"></span></form>`;
}
