// Sign-in. Where the deployment names an OpenID Connect provider (publicMap.signIn), a button sends people there; in the
// local (Development) profile, a picker asks the server for a dev token. Behind a link "for operators", everywhere, a box
// for a bearer token issued by the deployment's identity provider.
import { t, nameOf, currentLang } from '../i18n.js';
import { post } from '../api.js';
import { signIn, hasProvider, signInWithProvider } from '../session.js';
import { esc } from './countyDetail.js';

const ROLES = ['grid-worker', 'county-official', 'province-official', 'auditor', 'admin'];

export async function signInView(main, { publicMap, done }) {
  const provider = publicMap.signIn && hasProvider() ? publicMap.signIn : null;
  main.innerHTML = `<div class="page signin">
    <section class="card provider" ${provider ? '' : 'hidden'} data-testid="provider-signin">
      <button type="button" class="provider-button">${t('signInWith', { provider: esc(provider?.providerName ?? '') })}</button>
      <p class="small muted">${t('signInWithNote', { provider: esc(provider?.providerName ?? '') })}</p>
      <p class="error" role="alert"></p>
    </section>
    <form class="card dev" ${publicMap.devTokens ? '' : 'hidden'} data-testid="dev-signin">
      <h2>${t('devPicker')}</h2>
      <label>${t('role')} <select name="role">${ROLES.map(r => `<option value="${r}">${t('role.' + r)} (${r})</option>`).join('')}</select></label>
      <label>${t('county')} <select name="county">${publicMap.counties.map(c => `<option value="${c.code}">${nameOf(c)} ${c.code}</option>`).join('')}</select></label>
      <label>${t('cells')} <input name="cells" autocomplete="off"></label>
      <button type="submit">${t('getToken')}</button>
      <p class="error" role="alert"></p>
    </form>
    <p class="small"><a href="#signin" data-testid="operator-link" aria-controls="token-signin" aria-expanded="false">${t('forOperators')}</a></p>
    <form class="card idp" id="token-signin" data-testid="token-signin" hidden>
      <h2>${t('idpToken')}</h2>
      <label>${t('token')} <textarea name="token" rows="3" autocomplete="off"></textarea></label>
      <button type="submit">${t('useToken')}</button>
    </form></div>`;
  const box = main.querySelector('.idp');
  main.querySelector('[data-testid=operator-link]').addEventListener('click', e => {
    e.preventDefault();
    box.hidden = !box.hidden;
    e.target.setAttribute('aria-expanded', String(!box.hidden));
    if (!box.hidden) box.elements.token.focus();
  });
  main.querySelector('.provider-button').addEventListener('click', async e => {
    e.target.disabled = true;
    try { await signInWithProvider(currentLang()); } // leaves the page; it comes back to '/' with a code
    catch (error) { e.target.disabled = false; main.querySelector('.provider .error').textContent = t('providerUnreachable') + ' ' + error.message; }
  });

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
  box.addEventListener('submit', e => {
    e.preventDefault();
    signIn(e.target.elements.token.value);
    done();
  });
}
