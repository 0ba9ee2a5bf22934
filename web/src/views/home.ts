// Sign-in and the school picker. The API has no "who am I" call: GET /api/schools tells the
// role well enough. A school_admin sees exactly its own school and lands on it; an admin sees
// all of them and picks one; a device token gets 403 and cannot open the dashboard.

import {
  ForbiddenError, NetworkError, UnauthorizedError, getAll, getJson, request, setToken, withQuery, type Page, type School,
} from '../api';
import { kAfterSignInKey, navigate, setHeader, type View } from '../app';
import { focusHeading, h, replaceChildren } from '../dom';
import { searchKey, searchMatcher } from '../search';

export const kSchoolCountKey = 'attendance.schoolCount';

export const signInView: View = (main) => {
  setHeader(null);
  const input = h('input', {
    id: 'token', name: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false', required: true,
    'aria-describedby': 'token-help', 'data-testid': 'token-input',
  });
  const error = h('p', { class: 'form-error', id: 'sign-in-error', role: 'alert' });
  const button = h('button', { type: 'submit', class: 'button primary' }, 'Sign in');
  const form = h('form', { class: 'sign-in card', novalidate: true },
    h('h1', null, 'Sign in'),
    h('p', { class: 'lede' }, 'The school attendance dashboard: who is in school now, how today, this week and this month compare, fever alerts and chronic absence.'),
    h('label', { for: 'token' }, 'API token'),
    input,
    h('p', { id: 'token-help', class: 'hint' }, 'A school admin or admin token. It is kept in this browser tab only, and forgotten when the tab closes.'),
    error,
    button);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) {
      error.textContent = 'Enter your token.';
      input.focus();
      return;
    }
    button.disabled = true;
    error.textContent = '';
    // Tried with the typed token; stored only once the server accepts it.
    request(withQuery('/api/schools', { limit: 1 }), { token })
      .then(() => {
        setToken(token);
        const next = sessionStorage.getItem(kAfterSignInKey);
        sessionStorage.removeItem(kAfterSignInKey);
        navigate(next && next.startsWith('#/') ? next : '#/');
      })
      .catch((e: unknown) => {
        button.disabled = false;
        if (e instanceof UnauthorizedError) error.textContent = 'This token was not accepted: it is unknown, expired or revoked.';
        else if (e instanceof ForbiddenError) error.textContent = 'This token cannot open the dashboard: it is a device (kiosk) token. Use a school admin or admin token.';
        else if (e instanceof NetworkError) error.textContent = 'Cannot reach the server. Check that it is running, then try again.';
        else error.textContent = 'The server answered in an unexpected way. Try again.';
        input.focus();
      });
  });
  replaceChildren(main, h('div', { class: 'center' }, form));
  input.focus();
};

// "#/": where a signed-in user starts.
export const homeView: View = async (main, ctx) => {
  const schools = await getAll<School>('/api/schools', {}, ctx.signal, 10);
  sessionStorage.setItem(kSchoolCountKey, String(schools.length));
  const only = schools[0];
  if (schools.length === 1 && only) {
    navigate(`#/schools/${only.id}`, true);
    return;
  }
  renderPicker(main, schools);
};

export const pickerView: View = async (main, ctx) => {
  const schools = await getAll<School>('/api/schools', {}, ctx.signal, 10);
  sessionStorage.setItem(kSchoolCountKey, String(schools.length));
  renderPicker(main, schools);
};

function renderPicker(main: HTMLElement, schools: School[]): void {
  setHeader(null);
  if (schools.length === 0) {
    replaceChildren(main, h('section', { class: 'message', 'data-message': 'no-schools' },
      h('h1', null, 'No schools yet'),
      h('p', null, 'There are no schools on this server. Create one through the API (POST /api/schools), then reload this page.')));
    focusHeading(main);
    return;
  }
  const search = h('input', { id: 'school-search', type: 'search', autocomplete: 'off' });
  const list = h('ul', { class: 'school-list', 'aria-live': 'polite' });
  const keys = new Map(schools.map((s) => [s, searchKey(s.name)]));
  const show = (): void => {
    const matches = searchMatcher(search.value);
    const shown = schools.filter((s) => matches(keys.get(s) ?? ''));
    replaceChildren(list, shown.length === 0
      ? h('li', { class: 'empty' }, 'No school matches.')
      : shown.map((s) => h('li', null, h('a', { href: `#/schools/${s.id}`, class: 'school-link', 'data-school-id': s.id },
        h('span', { class: 'school-name' }, s.name), h('span', { class: 'school-zone' }, s.timezone)))));
  };
  search.addEventListener('input', show);
  show();
  replaceChildren(main, h('section', { class: 'picker', 'aria-labelledby': 'picker-title' },
    h('h1', { id: 'picker-title' }, 'Choose a school'),
    schools.length > 6 && h('div', { class: 'field' }, h('label', { for: 'school-search' }, 'Find a school'), search),
    list));
  focusHeading(main);
}

// Whether the token sees more than one school (then the header links to the picker). Known from
// sign-in; after a reload of a deep link it is asked again (GET /api/schools?limit=2).
export function whenSchoolCountKnown(signal: AbortSignal, apply: (multi: boolean) => void): void {
  const known = sessionStorage.getItem(kSchoolCountKey);
  if (known !== null) {
    apply(Number(known) !== 1);
    return;
  }
  apply(false);
  getJson<Page<School>>('/api/schools', { limit: 2 }, signal)
    .then((page) => {
      const count = page.data.length + (page.meta.next_after !== null ? 1 : 0);
      sessionStorage.setItem(kSchoolCountKey, String(count));
      if (!signal.aborted) apply(count !== 1);
    })
    .catch(() => { /* the header simply keeps no picker link */ });
}
