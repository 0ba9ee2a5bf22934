// The page shell: header, main region, toasts, and the hash router that mounts one view at a
// time. A view gets an AbortSignal (aborted when the user navigates away) and registers its
// cleanups (the live stream, charts) with `onCleanup`.

import {
  ForbiddenError, NetworkError, NotFoundError, UnauthorizedError, clearToken, getToken,
} from './api';
import { focusHeading, h, replaceChildren } from './dom';

export interface ViewContext {
  signal: AbortSignal;
  params: URLSearchParams;
  onCleanup(fn: () => void): void;
  // Renders again the current route (the "Retry" buttons).
  rerender(): void;
}

export type View = (main: HTMLElement, ctx: ViewContext) => Promise<void> | void;

export interface Route {
  pattern: RegExp;
  view: (match: RegExpExecArray) => View;
  public?: boolean;
}

const main = document.getElementById('main') as HTMLElement;
const headerSchool = document.getElementById('header-school') as HTMLElement;
const headerNav = document.getElementById('header-nav') as HTMLElement;
const liveStatus = document.getElementById('live-status') as HTMLElement;
const signOutButton = document.getElementById('sign-out') as HTMLButtonElement;
const toasts = document.getElementById('toasts') as HTMLElement;

export const kAfterSignInKey = 'attendance.afterSignIn';

let current: { controller: AbortController; cleanups: (() => void)[] } | null = null;

// "Cannot reach the server" tries again by itself: after 2 s, 4 s, 8 s … up to 30 s (±20 %),
// counted across tries and reset once a view gets past it.
let unreachableTries = 0;
let unreachableTimer: number | undefined;
const kUnreachableMaxMs = 30_000;
let routes: Route[] = [];

// replace: a redirect, which the Back button should skip.
export function navigate(hash: string, replace = false): void {
  if (replace) {
    history.replaceState(null, '', hash);
    render();
  } else if (location.hash === hash) {
    render();
  } else {
    location.hash = hash;
  }
}

export function setHeader(schoolName: string | null, links: { href: string; text: string }[] = []): void {
  replaceChildren(headerSchool, schoolName ?? '');
  replaceChildren(headerNav, links.map((l) => h('a', { href: l.href }, l.text)));
}

export function setLiveStatus(state: 'hidden' | 'connecting' | 'live' | 'reconnecting' | 'offline', detail = ''): void {
  liveStatus.dataset['state'] = state;
  liveStatus.hidden = state === 'hidden';
  const text = { hidden: '', connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', offline: 'Live updates off' }[state];
  liveStatus.title = detail;
  replaceChildren(liveStatus, h('span', { class: 'dot', 'aria-hidden': 'true' }), text);
}

function teardown(): void {
  window.clearTimeout(unreachableTimer);
  if (!current) return;
  current.controller.abort();
  for (const fn of current.cleanups.splice(0)) {
    try { fn(); } catch { /* a cleanup never blocks navigation */ }
  }
  current = null;
}

export function render(): void {
  teardown();
  const controller = new AbortController();
  const cleanups: (() => void)[] = [];
  current = { controller, cleanups };
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path = '/', query = ''] = hash.split('?');
  const ctx: ViewContext = {
    signal: controller.signal,
    params: new URLSearchParams(query),
    onCleanup: (fn) => cleanups.push(fn),
    rerender: render,
  };
  setLiveStatus('hidden');
  signOutButton.hidden = !getToken();
  for (const route of routes) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    if (!route.public && !getToken()) {
      // Back to this address once signed in.
      if (path !== '/') sessionStorage.setItem(kAfterSignInKey, `#${hash}`);
      showSignIn();
      return;
    }
    void run(route.view(match), ctx);
    return;
  }
  showMessage('Page not found', 'There is nothing at this address.', [{ text: 'Go to the dashboard', action: () => navigate('#/') }]);
}

let signInView: View = () => {};
export function setSignInView(view: View): void {
  signInView = view;
}
function showSignIn(): void {
  setHeader(null);
  void run(signInView, { signal: new AbortController().signal, params: new URLSearchParams(), onCleanup: () => {}, rerender: render });
}

async function run(view: View, ctx: ViewContext): Promise<void> {
  main.setAttribute('aria-busy', 'true');
  try {
    await view(main, ctx);
    if (!main.querySelector('[data-message="unreachable"]')) unreachableTries = 0;
  } catch (error) {
    if (ctx.signal.aborted) return;
    showError(error, ctx);
  } finally {
    main.removeAttribute('aria-busy');
  }
}

export interface MessageAction { text: string; action: () => void; primary?: boolean }

export function messagePanel(title: string, text: string, actions: MessageAction[] = [], kind = 'info'): HTMLElement {
  return h('section', { class: `message message-${kind}`, 'data-message': kind, 'aria-labelledby': 'message-title' },
    h('h1', { id: 'message-title' }, title),
    h('p', null, text),
    actions.length > 0 && h('div', { class: 'actions' },
      actions.map((a, i) => h('button', { type: 'button', class: a.primary ?? i === 0 ? 'button primary' : 'button', onclick: a.action }, a.text))));
}

export function showMessage(title: string, text: string, actions: MessageAction[] = [], kind = 'info'): void {
  teardownSoft();
  setLiveStatus('hidden');
  replaceChildren(main, messagePanel(title, text, actions, kind));
  focusHeading(main);
}

// Stops the current view's background work (stream, timers) without leaving the route.
function teardownSoft(): void {
  if (!current) return;
  for (const fn of current.cleanups.splice(0)) {
    try { fn(); } catch { /* ignore */ }
  }
}

export function signOut(): void {
  teardown();
  clearToken();
  sessionStorage.clear();
  setLiveStatus('hidden');
  navigate('#/');
}

export function showExpired(): void {
  teardown();
  clearToken();
  setLiveStatus('hidden');
  setHeader(null);
  signOutButton.hidden = true;
  replaceChildren(main, messagePanel('Your token has expired or was revoked',
    'The server no longer accepts the token this page was opened with. Sign in again with a valid token.',
    [{ text: 'Sign in again', action: () => navigate('#/') }], 'expired'));
  focusHeading(main);
}

export function showError(error: unknown, ctx: ViewContext): void {
  if (error instanceof UnauthorizedError) {
    showExpired();
  } else if (error instanceof ForbiddenError) {
    showMessage('This token cannot open the dashboard',
      'It is a device (kiosk) token or lacks the rights to see this school. Sign in with a school admin or admin token.',
      [{ text: 'Sign in with another token', action: signOut }], 'forbidden');
  } else if (error instanceof NotFoundError) {
    showMessage('Not found', 'This school or student does not exist, or is not one this token may see.',
      [{ text: 'Go to the dashboard', action: () => navigate('#/') }], 'not-found');
  } else if (error instanceof NetworkError) {
    const delay = Math.min(kUnreachableMaxMs, 2000 * 2 ** unreachableTries) * (0.8 + Math.random() * 0.4);
    unreachableTries += 1;
    showMessage('Cannot reach the server',
      `The attendance server did not answer. Check that it is running and that this device is online. This page tries again by itself in ${Math.round(delay / 1000)} s.`,
      [{ text: 'Retry now', action: ctx.rerender }], 'unreachable');
    window.clearTimeout(unreachableTimer);
    unreachableTimer = window.setTimeout(() => { if (!ctx.signal.aborted) ctx.rerender(); }, delay);
  } else {
    console.error(error);
    showMessage('Something went wrong', 'The server answered in an unexpected way. Try again in a moment.',
      [{ text: 'Retry', action: ctx.rerender }], 'error');
  }
}

export function toast(content: (Node | string)[], kind = 'alert', timeoutMs = 20_000): HTMLElement {
  const close = h('button', { type: 'button', class: 'toast-close', 'aria-label': 'Dismiss alert' }, '×');
  const element = h('div', { class: `toast toast-${kind}`, 'data-toast': kind }, h('div', { class: 'toast-body' }, content), close);
  let timer = window.setTimeout(() => element.remove(), timeoutMs);
  close.addEventListener('click', () => element.remove());
  // Keep it while the pointer or focus is on it.
  element.addEventListener('mouseenter', () => window.clearTimeout(timer));
  element.addEventListener('focusin', () => window.clearTimeout(timer));
  element.addEventListener('mouseleave', () => { timer = window.setTimeout(() => element.remove(), timeoutMs); });
  toasts.appendChild(element);
  while (toasts.children.length > 4) toasts.firstElementChild?.remove();
  return element;
}

export function startRouter(table: Route[]): void {
  routes = table;
  signOutButton.addEventListener('click', signOut);
  window.addEventListener('hashchange', render);
  render();
}
