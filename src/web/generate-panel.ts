// The generate panel: expectations (the `netpol test` format) → `netpol generate` in the worker →
// the YAML, the proof counts, and on "Apply to cluster" the pod matrix the generated set yields
// (the set replaces the cluster's NetworkPolicies, as the CLI's does). DOM text only.
import type { GenerateAnswer } from './tiers-engine';
import { el } from './dom';

export interface GeneratePanel {
  /** Show an answer of the worker's `generate`. */
  show(answer: GenerateAnswer): void;
}

/** Wires the panel's controls: `run(text, dns)` asks the worker. */
export function generatePanel(root: HTMLElement, initial: string, run: (text: string, dns: boolean) => Promise<GenerateAnswer>): GeneratePanel {
  const text = root.querySelector<HTMLTextAreaElement>('#gen-expect')!;
  const dns = root.querySelector<HTMLInputElement>('#gen-dns')!;
  const out = root.querySelector<HTMLElement>('#gen-result')!;
  const matrixBox = root.querySelector<HTMLElement>('#gen-matrix')!;
  if (!text.value) text.value = initial;
  let last: GenerateAnswer | undefined;
  let seq = 0;

  const selectLine = (line: number) => {
    const lines = text.value.split('\n');
    const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    text.focus();
    text.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
  };

  const show = (a: GenerateAnswer) => {
    last = a;
    out.replaceChildren();
    matrixBox.replaceChildren();
    const errors = a.diagnostics.filter((d) => d.severity !== 'info');
    if (errors.length || a.problems.length) {
      const ul = el('ul', 'plain gen-problems');
      for (const d of errors) {
        const b = el('button', `problem ${d.severity}`, `line ${d.line}:${d.column} ${d.severity}${d.path ? ` ${d.path}` : ''}: ${d.message}${d.hint ? ` (hint: ${d.hint})` : ''}`);
        b.type = 'button';
        b.addEventListener('click', () => selectLine(d.line));
        const li = el('li');
        li.append(b);
        ul.append(li);
      }
      for (const p of a.problems) ul.append(el('li', 'problem error', `${p.line ? `line ${p.line}: ` : ''}${p.message}${p.hint ? ` (hint: ${p.hint})` : ''}`));
      out.append(el('p', 'error', a.yaml === undefined ? 'Nothing generated:' : 'Notes:'), ul);
    }
    if (a.yaml === undefined || !a.proof) return;
    out.append(el('p', 'gen-counts', `${a.policies} polic${a.policies === 1 ? 'y' : 'ies'}, ${a.rules} rule${a.rules === 1 ? '' : 's'}; proved: ${a.proof.passed} assertion${a.proof.passed === 1 ? '' : 's'} hold, ${a.proof.failed} fail, ${a.proof.extra ? `${a.proof.extra} connection(s) opened beyond them` : 'nothing else opened in scope'}${a.proof.depends ? `; ${a.proof.depends} hinge on the plugin (depends)` : ''}.`));
    const pre = el('pre', 'gen-yaml', a.yaml || '# no policy needed: every assertion already holds with no NetworkPolicy\n');
    pre.id = 'gen-yaml';
    pre.setAttribute('aria-label', 'Generated YAML');
    pre.tabIndex = 0;
    const copy = el('button', undefined, 'Copy YAML');
    copy.type = 'button';
    copy.addEventListener('click', () => void navigator.clipboard?.writeText(a.yaml ?? '').catch(() => undefined));
    const apply = el('button', undefined, 'Apply to cluster');
    apply.type = 'button';
    apply.id = 'gen-apply';
    apply.addEventListener('click', () => renderGenMatrix(matrixBox, last!));
    out.append(pre, copy, ' ', apply);
  };

  root.querySelector<HTMLFormElement>('#gen-form')!.addEventListener('submit', (e) => {
    e.preventDefault();
    const mine = ++seq;
    out.replaceChildren(el('p', 'note', 'Generating…'));
    matrixBox.replaceChildren();
    void run(text.value, dns.checked).then((a) => { if (mine === seq) show(a); });
  });
  return { show };
}

/** The matrix the generated set yields: pods × pods, one table per port. */
export function renderGenMatrix(box: HTMLElement, a: GenerateAnswer): void {
  box.replaceChildren();
  if (!a.matrix) {
    box.append(el('p', 'error', `No matrix: ${a.matrixError ?? 'nothing generated'}`));
    return;
  }
  const m = a.matrix;
  const MAX = 40;
  const pods = m.pods.slice(0, MAX);
  box.append(el('p', 'note', `With the generated set in place of the cluster's NetworkPolicies${m.pods.length > MAX ? ` (first ${MAX} of ${m.pods.length} pods)` : ''}: row = from, column = to.`));
  for (const probe of m.probes) {
    const table = el('table', 'gen-matrix');
    table.dataset.port = `${probe.port}/${probe.protocol}`;
    table.append(el('caption', undefined, `${probe.port}/${probe.protocol}`));
    const head = el('tr');
    head.append(el('th', undefined, 'from \\ to'), ...pods.map((p) => el('th', 'col', p)));
    table.append(head);
    pods.forEach((from, i) => {
      const tr = el('tr');
      tr.append(el('th', undefined, from));
      pods.forEach((to, j) => {
        const ok = probe.rows[i]![j] === '1';
        const td = el('td', `cell ${ok ? 'allow' : 'deny'}`, ok ? '✓' : '·');
        td.title = `${from} → ${to} ${probe.port}/${probe.protocol}: ${ok ? 'allowed' : 'denied'}`;
        td.dataset.from = from;
        td.dataset.to = to;
        tr.append(td);
      });
      table.append(tr);
    });
    box.append(table);
  }
}
