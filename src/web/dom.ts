// The page's DOM helpers. Text goes in as textContent only: names from manifests never
// become markup (test/web/html-sinks.test.ts forbids innerHTML-style sinks).
export type JumpTo = (file: string, line: number) => void;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** `file.yaml:12`, a button that moves the editor to that line. */
export function jumpButton(file: string, line: number, jump: JumpTo): HTMLButtonElement {
  const b = el('button', 'jump', `${file.split('/').pop()}:${line}`);
  b.type = 'button';
  b.title = `Jump to line ${line} of ${file}`;
  b.setAttribute('aria-label', `Jump to line ${line} of ${file}`);
  b.addEventListener('click', () => jump(file, line));
  return b;
}

/** An element of index.html by id (the page's fixed skeleton). */
export const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

/** A plain button (a link-like one unless `cls` says otherwise). */
export function button(text: string, onClick: () => void, cls = 'link'): HTMLButtonElement {
  const b = el('button', cls, text);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}
