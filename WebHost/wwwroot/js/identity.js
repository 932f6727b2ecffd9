// A resident identity number (居民身份证号码, GB 11643-1999) checked on the phone before a form is sent, as the server
// checks it (Grains.Interfaces/People/ResidentId.cs): a mistyped number is caught at the door, not hours later when the
// outbox reaches the server. The server's check stays the one that counts.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** Null when valid; otherwise a key of i18n's dictionary naming what is wrong. */
export function residentIdProblem(value, today = new Date()) {
  const id = (value ?? '').trim().toUpperCase();
  if (!id) return 'id.required';
  if (id.length !== 18) return 'id.length';
  if (!/^[1-9][0-9]{16}[0-9X]$/.test(id)) return 'id.characters';
  const [y, m, d] = [id.slice(6, 10), id.slice(10, 12), id.slice(12, 14)].map(Number);
  const born = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || born.getUTCMonth() !== m - 1 || born.getUTCDate() !== d || born > today) return 'id.birth';
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * WEIGHTS[i];
  return CHECK[sum % 11] === id[17] ? null : 'id.check';
}
