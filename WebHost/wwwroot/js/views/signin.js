// Sign-in. In the local (Development) profile, a picker that asks the server for a dev token; everywhere, a box
// for a bearer token issued by the deployment's identity provider.
import { t, nameOf } from '../i18n.js';
import { post } from '../api.js';
import { signIn } from '../session.js';

const ROLES = ['grid-worker', 'county-official', 'province-official', 'auditor', 'admin'];

export async function signInView(main, { publicMap, done }) {
  main.innerHTML = `<div class="page signin">
    <form class="card dev" ${publicMap.devTokens ? '' : 'hidden'} data-testid="dev-signin">
      <h2>${t('devPicker')}</h2>
      <label>${t('role')} <select name="role">${ROLES.map(r => `<option value="${r}">${t('role.' + r)} (${r})</option>`).join('')}</select></label>
      <label>${t('county')} <select name="county">${publicMap.counties.map(c => `<option value="${c.code}">${nameOf(c)} ${c.code}</option>`).join('')}</select></label>
      <label>${t('cells')} <input name="cells" autocomplete="off"></label>
      <button type="submit">${t('getToken')}</button>
      <p class="error" role="alert"></p>
    </form>
    <form class="card idp" data-testid="token-signin">
      <h2>${t('idpToken')}</h2>
      <label>${t('token')} <textarea name="token" rows="3" autocomplete="off"></textarea></label>
      <button type="submit">${t('useToken')}</button>
    </form></div>`;
  const dev = main.querySelector('.dev');
  const cells = dev.elements.cells;
  const county = dev.elements.county;
  county.value = '330782';
  const defaultCells = () => { cells.value = `${county.value}-001-001, ${county.value}-001-002`; };
  county.addEventListener('change', defaultCells);
  defaultCells();
  dev.addEventListener('submit', async e => {
    e.preventDefault();
    const role = dev.elements.role.value;
    try {
      const issued = await post('/api/v1/dev/tokens', {
        role,
        county: role === 'county-official' ? county.value : undefined,
        cells: role === 'grid-worker' ? cells.value.split(/[\s,]+/).filter(Boolean) : undefined,
      });
      signIn(issued.token);
      done();
    } catch (error) { dev.querySelector('.error').textContent = error.message; }
  });
  main.querySelector('.idp').addEventListener('submit', e => {
    e.preventDefault();
    signIn(e.target.elements.token.value);
    done();
  });
}
