// The YAML editor: one CodeMirror view, one state per file (so each keeps its undo history),
// and the engine's diagnostics shown inline (squiggle, gutter marker, message and hint).
import { basicSetup } from 'codemirror';
import { yaml } from '@codemirror/lang-yaml';
import { lintGutter, setDiagnostics, type Diagnostic as CmDiagnostic } from '@codemirror/lint';
import { EditorState, type Text } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import type { Diagnostic } from '../index';

/** Engine position (1-based line:column, optional end) → document offsets. */
export function toRange(doc: Text, d: Pick<Diagnostic, 'line' | 'column' | 'endLine' | 'endColumn'>): { from: number; to: number } {
  const clampLine = (n: number) => doc.line(Math.min(Math.max(1, n), doc.lines));
  const start = clampLine(d.line);
  const from = Math.min(start.from + Math.max(0, d.column - 1), start.to);
  let to: number;
  if (d.endLine !== undefined && d.endColumn !== undefined) {
    const end = clampLine(d.endLine);
    to = Math.min(end.from + Math.max(0, d.endColumn - 1), end.to);
  } else {
    // No end: underline the word (key, value or token) that starts here.
    const rest = doc.sliceString(from, start.to);
    to = from + (/^[^\s:,{}[\]]+/.exec(rest)?.[0].length ?? 0);
  }
  if (to <= from) to = Math.min(from + 1, doc.length);
  return { from, to };
}

export function toCm(doc: Text, d: Diagnostic): CmDiagnostic {
  return {
    ...toRange(doc, d),
    severity: d.severity,
    source: d.type,
    message: `${d.path ? `${d.path}: ` : ''}${d.message}${d.hint ? ` (hint: ${d.hint})` : ''}`,
    renderMessage: () => {
      const el = document.createElement('div');
      const msg = el.appendChild(document.createElement('div'));
      msg.textContent = `${d.type}${d.path ? ` at ${d.path}` : ''}: ${d.message}`;
      if (d.hint) {
        const hint = el.appendChild(document.createElement('div'));
        hint.className = 'cm-hint';
        hint.textContent = `hint: ${d.hint}`;
      }
      return el;
    },
  };
}

export class Editor {
  readonly view: EditorView;
  private states = new Map<string, EditorState>();
  file = '';

  constructor(parent: HTMLElement, private onChange: (file: string, text: string) => void) {
    this.view = new EditorView({ parent });
  }

  private extensions(file: string) {
    return [
      basicSetup,
      yaml(),
      lintGutter(),
      EditorView.lineWrapping,
      EditorView.contentAttributes.of({ 'aria-label': `YAML of ${file}` }),
      EditorView.updateListener.of((u) => {
        if (u.docChanged) this.onChange(file, u.state.doc.toString());
      }),
    ];
  }

  /** Show `file`, creating its state from `text` the first time. */
  open(file: string, text: string): void {
    if (this.file) this.states.set(this.file, this.view.state);
    let state = this.states.get(file);
    if (!state) {
      state = EditorState.create({ doc: text, extensions: this.extensions(file) });
      this.states.set(file, state);
    }
    this.file = file;
    this.view.setState(state);
  }

  /** Replace a file's text (e.g. a reload), keeping it open if it is. */
  forget(file: string): void {
    this.states.delete(file);
    if (this.file === file) this.file = '';
  }

  setDiagnostics(diags: readonly Diagnostic[]): void {
    const doc = this.view.state.doc;
    const mine = diags.filter((d) => d.file === this.file).map((d) => toCm(doc, d));
    this.view.dispatch(setDiagnostics(this.view.state, mine));
  }

  jumpTo(line: number, column = 1): void {
    const { from } = toRange(this.view.state.doc, { line, column });
    this.view.dispatch({ selection: { anchor: from }, effects: EditorView.scrollIntoView(from, { y: 'center' }) });
    this.view.focus();
  }
}
