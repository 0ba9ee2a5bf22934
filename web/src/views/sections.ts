// Shared pieces of the views: a section that loads on its own and shows its own error.

import { ForbiddenError, HttpError, NetworkError, NotFoundError, UnauthorizedError } from '../api';
import { h, replaceChildren } from '../dom';

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

export function describeError(error: unknown): string {
  if (error instanceof NetworkError) return 'Cannot reach the server.';
  if (error instanceof ForbiddenError) return 'This token may not see this.';
  if (error instanceof NotFoundError) return 'Not found.';
  if (error instanceof HttpError) {
    if (error.status === 503) return 'The server is busy; try again in a moment.';
    if (error.status === 504) return 'The server took too long to answer.';
    return `The server answered ${error.status}.`;
  }
  return 'Something went wrong.';
}

// Runs `load` and shows its result with `show`; on failure puts a message and a Retry button in
// `box` (a 401 is left to the app, which shows the "expired" screen).
export async function fill<T>(
  box: HTMLElement,
  signal: AbortSignal,
  load: () => Promise<T>,
  show: (value: T) => void,
): Promise<void> {
  box.setAttribute('aria-busy', 'true');
  try {
    const value = await load();
    if (signal.aborted) return;
    show(value);
  } catch (error) {
    if (signal.aborted || isAbort(error) || error instanceof UnauthorizedError) return;
    console.error(error);
    const retry = h('button', { type: 'button', class: 'button small' }, 'Retry');
    retry.addEventListener('click', () => void fill(box, signal, load, show));
    replaceChildren(box, h('p', { class: 'section-error', role: 'alert', 'data-error': 'section' }, describeError(error), ' ', retry));
  } finally {
    box.removeAttribute('aria-busy');
  }
}

export function loading(text = 'Loading…'): HTMLElement {
  return h('p', { class: 'loading' }, text);
}

// Calls fn once, `ms` after the first of a burst of calls: at most one call per `ms` however
// busy the stream is (a debounce would starve during the morning rush).
export function coalesce(fn: () => void, ms: number): { (): void; cancel(): void } {
  let timer: number | undefined;
  const wrapped = (): void => {
    if (timer !== undefined) return;
    timer = window.setTimeout(() => {
      timer = undefined;
      fn();
    }, ms);
  };
  wrapped.cancel = (): void => {
    window.clearTimeout(timer);
    timer = undefined;
  };
  return wrapped;
}
