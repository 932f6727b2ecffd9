// HTTP and SignalR, both carrying the session's token. Nothing here polls: live data comes from the hubs.
import { token } from './session.js';

export class ApiError extends Error {
  constructor(status, problem) { super(problem?.detail || problem?.title || `HTTP ${status}`); this.status = status; this.problem = problem; }
}

async function call(method, path, body, signal) {
  const headers = { accept: 'application/json' };
  if (token()) headers.authorization = `Bearer ${token()}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
  const json = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

export const get = (path, signal) => call('GET', path, undefined, signal);
export const post = (path, body) => call('POST', path, body);

// Each audit query is recorded in the caller's own stream, and two recorded at once conflict on the server (AuditTrail
// appends without retry): reads that are recorded go one at a time.
let auditQueue = Promise.resolve();
export const audited = path => { const next = auditQueue.then(() => get(path)); auditQueue = next.catch(() => {}); return next; };

/**
 * Downloads a file the API answers (a CSV) under the session's token: a plain link cannot carry the bearer token, so the
 * file is fetched, then handed to the browser as a blob.
 */
export async function download(path, filename) {
  const response = await fetch(path, { headers: token() ? { authorization: `Bearer ${token()}` } : {} });
  if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => null));
  const url = URL.createObjectURL(await response.blob());
  const a = Object.assign(document.createElement('a'), { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A query string from an object, leaving out empty values. */
export const qs = o => new URLSearchParams(Object.entries(o).filter(([, v]) => v != null && v !== '')).toString();

/**
 * A hub connection that never gives up reconnecting. `on` maps server methods to handlers; `status` hears
 * 'connected' | 'reconnecting' | 'reconnected' | 'closed'.
 */
export function connectHub(path, { on = {}, status = () => {}, anonymous = false } = {}) {
  const options = anonymous ? {} : { accessTokenFactory: () => token() };
  const connection = new signalR.HubConnectionBuilder()
    .withUrl(path, options)
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: ctx => Math.min(5000, 500 * (ctx.previousRetryCount + 1)) })
    .configureLogging(signalR.LogLevel.Warning)
    .build();
  for (const [method, handler] of Object.entries(on)) connection.on(method, handler);
  connection.onreconnecting(() => status('reconnecting'));
  connection.onreconnected(() => status('reconnected'));
  let stopped = false;
  const start = async () => {
    while (!stopped) {
      try { await connection.start(); status('connected'); return; }
      catch { status('closed'); await new Promise(r => setTimeout(r, 2000)); }
    }
  };
  connection.onclose(() => { if (!stopped) { status('closed'); start(); } });
  const ready = start();
  return { connection, ready, stop: () => { stopped = true; return connection.stop(); } };
}
