// The signed-in user: a bearer token in this tab's session storage, and the claims read from it (never trusted
// for security: the server checks every call; the claims only choose the view).
const KEY = 'epigrid.token';

export const token = () => sessionStorage.getItem(KEY);
export const signIn = t => sessionStorage.setItem(KEY, t.trim());
export const signOut = () => sessionStorage.removeItem(KEY);

export function claims() {
  const t = token();
  if (!t) return null;
  try {
    const json = atob(t.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'));
    const c = JSON.parse(decodeURIComponent([...json].map(ch => '%' + ch.charCodeAt(0).toString(16).padStart(2, '0')).join('')));
    if (c.exp && c.exp * 1000 < Date.now()) { signOut(); return null; }
    const cells = c.cell == null ? [] : [].concat(c.cell);
    return { sub: c.sub, role: c.role, county: c.county ?? null, cells };
  } catch { signOut(); return null; }
}
