// HTTP and SignalR, both carrying the session's token. Nothing here polls: live data comes from the hubs.
import { freshToken, onTokenRenewed } from './session.js';

export class ApiError extends Error {
  constructor(status, problem) { super(problem?.detail || problem?.title || `HTTP ${status}`); this.status = status; this.problem = problem; }
}

async function call(method, path, body, signal) {
  const headers = { accept: 'application/json' };
  const bearer = await freshToken();
  if (bearer) headers.authorization = `Bearer ${bearer}`;
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
  const bearer = await freshToken();
  const response = await fetch(path, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
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
 * 'connected' | 'reconnecting' | 'reconnected' | 'closed'. `connection` is the live HubConnection.
 *
 * The server closes a connection when the token it was opened with expires (CloseOnAuthenticationExpiration). So when the
 * session renews its token, a second connection is opened with the new one and, once it is up, takes over; the first is
 * stopped a few seconds later (pushes in between arrive twice, and the views merge alerts by id). The page never sees
 * the connection drop. A connection that drops anyway reconnects asking for a fresh token (freshToken).
 */
export function connectHub(path, { on = {}, status = () => {}, anonymous = false } = {}) {
  const options = anonymous ? {} : { accessTokenFactory: freshToken };
  let stopped = false;
  const build = () => {
    const builder = new signalR.HubConnectionBuilder().withUrl(path, options);
    if (hubProtocol() === 'messagepack') builder.withHubProtocol(new signalR.protocols.msgpack.MessagePackHubProtocol());
    const built = builder
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: ctx => Math.min(5000, 500 * (ctx.previousRetryCount + 1)) })
      .configureLogging(signalR.LogLevel.Warning)
      .build();
    for (const [method, handler] of Object.entries(on)) built.on(method, handler);
    // Only the connection in use speaks for the page; one being replaced goes quietly.
    built.onreconnecting(() => { if (built === connection) status('reconnecting'); });
    built.onreconnected(() => { if (built === connection) status('reconnected'); });
    built.onclose(() => { if (built === connection && !stopped) { status('closed'); start(); } });
    return built;
  };
  let connection = build();
  const start = async () => {
    while (!stopped) {
      try { await connection.start(); status('connected'); return; }
      catch { status('closed'); await new Promise(r => setTimeout(r, 2000)); }
    }
  };
  const ready = start();
  const renewed = async () => {
    if (stopped || connection.state !== signalR.HubConnectionState.Connected) return; // down: it reconnects with the new token
    const next = build();
    try { await next.start(); } catch { return; } // the old one goes on; when the server closes it, it reconnects
    if (stopped) { next.stop(); return; }
    const old = connection;
    connection = next;
    setTimeout(() => old.stop(), HANDOVER_MS); // the new one has joined its groups by then
  };
  const stopListening = anonymous ? () => {} : onTokenRenewed(renewed);
  return {
    get connection() { return connection; },
    ready,
    stop: () => { stopped = true; stopListening(); return connection.stop(); },
  };
}

/**
 * The hub protocol: JSON unless this browser was asked for MessagePack (localStorage 'epigrid.hubProtocol' =
 * 'messagepack'). The server shapes MessagePack payloads as its JSON ones (same camelCase fields, ISO 8601 times), so
 * the views read either alike; MessagePack needs WebSockets (or long polling), not server-sent events.
 */
export function hubProtocol() {
  try { return localStorage.getItem('epigrid.hubProtocol') === 'messagepack' && signalR.protocols?.msgpack ? 'messagepack' : 'json'; }
  catch { return 'json'; }
}

/** How long a replaced hub connection stays open beside its successor. */
const HANDOVER_MS = 3000;
