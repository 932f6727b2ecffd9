// Grid workers' inbox, phone first: my cells (marked when closed or controlled), live alerts newest first with acknowledge, travellers to visit
// (each with a visit form: what was found at the door, answering the task), check-ins due today (each with a check-in form). A banner shows while the connection is down; on return the hub's catchUp fills the gap, as it
// does when a pushed alert shows that one before it was lost (prevSeq), and once a minute.
import { t, pick, localTime } from '../i18n.js';
import { get, post, connectHub } from '../api.js';
import { esc } from './countyDetail.js';

const OUTCOMES = ['found', 'not-home', 'moved-away', 'refused'];

export async function inboxView(main, { publicMap, user, connection }) {
  const offset = publicMap.utcOffsetMinutes;
  const alerts = new Map();
  const cells = new Map();
  // Every alert of ours up to lastSeq is known. Only the server's answers (the first list, catchUp) move it; a live
  // alert does not, since alerts before it may have been lost on the way. Live alerts past it are remembered by seq.
  let lastSeq = 0;
  const beyond = new Set();
  // What the visit and check-in lists last drew (see renderAlerts, renderCheckIns).
  let visitsShown = null, dueShown = null;
  main.innerHTML = `<div class="page inbox">
    <section><h2>${t('myCells')}</h2><ul class="my-cells" data-testid="my-cells"></ul></section>
    <section><h2>${t('alerts')}</h2><ul class="alerts" data-testid="alerts"></ul></section>
    <p class="field-result small" data-testid="field-result" role="status"></p>
    <section><h2>${t('visit')}</h2><ul class="visits" data-testid="visits"></ul></section>
    <section><h2>${t('checkins')}</h2><ul class="checkins" data-testid="checkins"></ul></section></div>`;
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

  // A county-wide alert (no cell: a colour change) informs the worker; its officials acknowledge it (the server refuses a
  // worker's acknowledgement, AlertAudience.ActingGroupsOf), so no form is offered for it.
  function renderAlerts() {
    const list = [...alerts.values()].sort((a, b) => b.seq - a.seq);
    $('.alerts').innerHTML = list.map(a => `
      <li class="alert sev-${esc(a.severity)} ${a.status}" data-alert="${esc(a.id)}" data-status="${esc(a.status)}">
        <div class="msg">${esc(pick(a.message))}</div>
        <div class="small muted">${t('raised')} ${localTime(a.raisedAt, offset)}${a.dueBy ? ` · ${t('due')} ${localTime(a.dueBy, offset)}` : ''}${a.cellId ? ` · ${esc(a.cellId)}` : ''}</div>
        ${a.status === 'open' && !a.cellId
          ? `<div class="small muted">${t('forOfficials')}</div>`
          : a.status === 'open'
          ? `<form class="ack"><input name="note" placeholder="${t('note')}" maxlength="500" aria-label="${t('note')}"><button type="submit">${t('ack')}</button></form>`
          : `<div class="small">✔ ${t('acked')} ${esc(a.acknowledgedBy ?? '')} ${localTime(a.acknowledgedAt, offset)}${a.note ? ` · ${esc(a.note)}` : ''}</div>`}
      </li>`).join('') || `<li class="muted">${t('none')}</li>`;
    const visits = list.filter(a => a.kind === 'traveller-visit' && a.status === 'open');
    // Redrawn only when the tasks change: a worker filling in a visit form keeps it while other alerts arrive.
    const key = visits.map(a => a.id).join(' ');
    if (key === visitsShown) return;
    visitsShown = key;
    $('.visits').innerHTML = visits.map(a => `<li data-alert="${esc(a.id)}" data-cell="${esc(a.cellId)}"><b>${esc(a.subject.travellerId)}</b> ${t('from')} ${esc(a.subject.originArea)}
      (${esc(a.subject.originRisk)}) · ${esc(a.cellId)} · ${t('due')} ${localTime(a.dueBy, offset)}
      <details><summary>${t('recordVisit')}</summary>${visitForm(a.id)}</details></li>`).join('') || `<li class="muted">${t('none')}</li>`;
  }

  // One visit id per task, made when its form is first drawn and kept across redraws: a submission repeated after a lost
  // answer is the same visit, which the server records once (201, then 200 "duplicate").
  const visitIds = new Map();
  const visitForm = alertId => {
    if (!visitIds.has(alertId)) visitIds.set(alertId, crypto.randomUUID());
    return `<form class="visit" data-visit-id="${visitIds.get(alertId)}">
      <label>${t('outcome')} <select name="outcome">${OUTCOMES.map(o => `<option value="${o}">${t('outcome.' + o)}</option>`).join('')}</select></label>
      <input name="note" placeholder="${t('note')}" maxlength="400" aria-label="${t('note')}">
      <button type="submit">${t('save')}</button><span class="small form-problem" role="alert"></span></form>`;
  };
  const checkInForm = () => `<form class="check-in">
      <label>${t('temperature')} <input name="temperature" type="number" step="0.1" min="34" max="43" inputmode="decimal" required></label>
      <input name="symptoms" placeholder="${t('symptomsList')}" maxlength="200" aria-label="${t('symptomsList')}">
      <button type="submit">${t('recordCheckIn')}</button><span class="small form-problem" role="alert"></span></form>`;

  function renderCells(now) {
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
  }

  // Persons under a red or yellow code who still owe today's check-in, as the county's quarantine watch knows them.
  const dues = new Map();
  function renderCheckIns() {
    const due = [...dues.values()].flatMap(d => d.persons.map(p => ({ ...p, cellId: d.cellId })));
    const key = due.map(p => `${p.personRef}:${p.colour}:${p.daysMissed}`).join(' ');
    if (key === dueShown) return;
    dueShown = key;
    $('.checkins').innerHTML = due.map(p => `<li data-person="${esc(p.personRef)}" class="code-${esc(p.colour)}"><b>${esc(p.maskedId)}</b> · ${t(p.colour)}
      ${p.daysMissed > 0 ? ` · <span class="overdue">${t('daysMissed').replace('{n}', p.daysMissed)}</span>` : ''} · ${esc(p.cellId)}
      <details><summary>${t('recordCheckIn')}</summary>${checkInForm()}</details></li>`).join('')
      || `<li class="muted">${t('none')}</li>`;
  }
  const refreshCheckIns = async () => {
    await Promise.all(user.cells.map(async id => { try { dues.set(id, await get(`/api/v1/cells/${id}/check-ins-due`)); } catch { /* not registered yet */ } }));
    renderCheckIns();
  };
  const personKinds = new Set(['check-in-missed', 'check-in-symptoms', 'quarantine-release', 'traveller-visit']);

  let now = Date.parse(publicMap.now);
  // The server's clock as this phone's reads it (a phone's clock may be wrong): visits and check-ins are dated by it.
  let skew = now - Date.now();
  const serverNow = () => new Date(Date.now() + skew).toISOString();
  const loadCell = async id => { try { cells.set(id, await get(`/api/v1/cells/${id}`)); } catch { /* not registered yet */ } };
  const refreshCells = async () => {
    await Promise.all(user.cells.map(loadCell));
    now = Date.parse((await get('/api/v1/public/map')).now);
    skew = now - Date.now();
    renderCells(now);
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
  const hub = connectHub('/hubs/grid', {
    on: {
      alert: a => { live(a); renderAlerts(); if (personKinds.has(a.kind)) refreshCheckIns(); },
      alertUpdated: a => { alerts.set(a.id, a); renderAlerts(); },
      cellChanged: c => { if (user.cells.includes(c.cellId)) loadCell(c.cellId).then(() => renderCells(now)); },
    },
    status: async s => {
      connection(s);
      if (s === 'reconnected') {
        const n = await catchUpSoon();
        await refreshCells();
        await refreshCheckIns();
        connection('caught-up', n);
      }
    },
  });

  // The answer to a visit or a check-in, kept above the lists: the item leaves its list once the server has it.
  const recorded = text => { $('[data-testid=field-result]').textContent = text; };
  const problemOf = error => [error.message, ...Object.values(error.problem?.errors ?? {}).flat()].join(' ');

  main.addEventListener('submit', async e => {
    if (!e.target.matches('form.visit, form.check-in')) return;
    e.preventDefault();
    const form = e.target, button = form.querySelector('button'), item = form.closest('li');
    button.disabled = true;
    form.querySelector('.form-problem').textContent = '';
    try {
      if (form.matches('form.visit')) {
        const answer = await post(`/api/v1/cells/${item.dataset.cell}/visits`, {
          visitId: form.dataset.visitId, alertId: item.dataset.alert, visitedAt: serverNow(),
          outcome: form.elements.outcome.value, note: form.elements.note.value || null,
        });
        if (answer.alert) { alerts.set(answer.alert.id, answer.alert); visitIds.delete(answer.alert.id); }
        recorded(t('visitRecorded', { id: answer.visitId, outcome: t('outcome.' + answer.outcome) }));
        renderAlerts();
      } else {
        const symptoms = form.elements.symptoms.value.split(/[,，、]/).map(s => s.trim()).filter(Boolean);
        const answer = await post(`/api/v1/persons/${item.dataset.person}/check-ins`, {
          occurredAt: serverNow(), temperature: Number(form.elements.temperature.value), symptoms,
        });
        recorded(t('checkInRecorded', { colour: answer.code ? t(answer.code.colour) : '—' }));
        await refreshCheckIns();
      }
    } catch (error) {
      button.disabled = false;
      form.querySelector('.form-problem').textContent = problemOf(error);
    }
  });

  main.addEventListener('submit', async e => {
    if (!e.target.matches('form.ack')) return;
    e.preventDefault();
    const id = e.target.closest('[data-alert]').dataset.alert;
    const button = e.target.querySelector('button');
    button.disabled = true;
    try {
      const updated = await hub.connection.invoke('ack', id, e.target.elements.note.value || null);
      alerts.set(updated.id, updated);
      renderAlerts();
    } catch (error) { button.disabled = false; alert(error.message); }
  });

  await hub.ready;
  settle(await get('/api/v1/alerts?limit=1000'));
  loaded = true;
  renderAlerts();
  await catchUpSoon(); // what the first list did not hold (past its 1,000) or lost pushes while it loaded
  await refreshCells();
  await refreshCheckIns();
  // A lost push is noticed at the next alert of its group; for the last one before a quiet spell, look now and then.
  const periodic = setInterval(() => { if (hub.connection.state === 'Connected') catchUpSoon(); }, 60_000);
  return () => { clearInterval(periodic); return hub.stop(); };
}
