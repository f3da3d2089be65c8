// The file tabs and the problem list, and moving the editor to a file and line.
import { $ } from './dom';
import { editor, page } from './state';

export function openFile(file: string): void {
  const f = page.files.find((x) => x.file === file);
  if (f) editor.open(f.file, f.text);
  renderTabs();
  if (page.analysis) editor.setDiagnostics(page.analysis.diagnostics);
}

export function jump(file: string, line: number): void {
  if (editor.file !== file) openFile(file);
  editor.jumpTo(line);
}

export function renderTabs(): void {
  const ul = $('file-tabs');
  ul.replaceChildren();
  for (const f of page.files) {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    const n = page.analysis?.diagnostics.filter((d) => d.file === f.file && d.severity !== 'info').length ?? 0;
    b.textContent = f.file.split('/').pop()!;
    if (n) b.append(Object.assign(document.createElement('span'), { className: 'count bad', textContent: String(n) }));
    b.title = f.file;
    if (f.file === editor.file) b.setAttribute('aria-current', 'true');
    b.setAttribute('aria-label', `${f.file}${n ? `, ${n} problems` : ''}`);
    b.addEventListener('click', () => openFile(f.file));
    li.append(b);
    ul.append(li);
  }
}

export function renderProblems(): void {
  const diags = page.analysis?.diagnostics ?? [];
  const shown = diags.filter((d) => d.severity !== 'info');
  const lintFindings = page.lintFindings;
  $('problem-count').textContent = shown.length ? String(shown.length) : 'none';
  if (lintFindings.length) $('problem-count').textContent += `, ${lintFindings.length} lint finding${lintFindings.length === 1 ? '' : 's'}`;
  const ul = $('problems');
  ul.replaceChildren();
  // Load and validation problems first, then lint findings (rule and fix).
  for (const d of [...shown.slice(0, 200), ...lintFindings.slice(0, 100)]) {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    b.className = `problem ${d.severity}`;
    b.textContent = `${d.file}:${d.line}:${d.column} ${d.severity} ${d.rule ?? d.type}${d.path ? ` ${d.path}` : ''}: ${d.message}${d.hint ? ` (hint: ${d.hint})` : ''}`;
    b.addEventListener('click', () => {
      if (editor.file !== d.file) openFile(d.file);
      editor.jumpTo(d.line, d.column);
    });
    li.append(b);
    ul.append(li);
  }
}
