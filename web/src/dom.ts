// A tiny DOM builder. Text always goes in through text nodes, never as HTML, so names and other
// data from the API cannot inject markup.

type Child = Node | string | number | null | undefined | false;
type Children = (Child | Child[])[];
type AttrValue = string | number | boolean | null | undefined | ((event: Event) => void);

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Record<string, AttrValue> | null,
  ...children: Children
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (typeof value === 'function') {
        element.addEventListener(name.replace(/^on/, '').toLowerCase(), value);
      } else if (name === 'class') {
        element.className = String(value);
      } else if (value === true) {
        element.setAttribute(name, '');
      } else {
        element.setAttribute(name, String(value));
      }
    }
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: Children): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

export function replaceChildren(parent: Element, ...children: Children): void {
  parent.replaceChildren();
  append(parent, children);
}

// Moves keyboard focus to a view's heading after navigation, so screen readers announce it.
export function focusHeading(root: Element): void {
  const heading = root.querySelector<HTMLElement>('h1, h2');
  if (heading) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
  }
}

const numberFormat = new Intl.NumberFormat('en');
export function formatCount(value: number): string {
  return numberFormat.format(value);
}

// present / total as a whole percentage; "–" when there is nobody to count.
export function formatRate(present: number, total: number): string {
  if (total <= 0) return '–';
  return `${Math.round((present / total) * 1000) / 10} %`;
}
