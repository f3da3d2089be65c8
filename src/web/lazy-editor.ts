// The editor's stand-in until CodeMirror (a third of the page's script) is loaded, after the first
// picture is painted (`load()`): it keeps the open file, its text, the diagnostics and a wanted
// jump or focus, and hands them to the real editor (editor.ts) when it arrives. Afterwards every
// call goes straight through.
import type { Diagnostic } from '../index';
import type { Editor } from './editor';

export class LazyEditor {
  private real?: Editor;
  private loading?: Promise<Editor>;
  private openFile = '';
  private text = '';
  private diags: readonly Diagnostic[] = [];
  private wanted?: { line: number; column: number } | 'focus';
  /** Called with a file's whole text after each change typed into the editor. */
  onChange: (file: string, text: string) => void = () => {};

  constructor(private parent: HTMLElement) {}

  get file(): string {
    return this.real ? this.real.file : this.openFile;
  }

  /** Loads CodeMirror (once) and shows what was asked of the editor meanwhile. */
  load(): Promise<Editor> {
    this.loading ??= import('./editor').then(({ Editor }) => {
      this.parent.replaceChildren();
      const e = new Editor(this.parent, (file, text) => this.onChange(file, text));
      this.real = e;
      if (this.openFile) e.open(this.openFile, this.text);
      e.setDiagnostics(this.diags);
      if (this.wanted === 'focus') e.view.focus();
      else if (this.wanted) e.jumpTo(this.wanted.line, this.wanted.column);
      this.wanted = undefined;
      performance.mark('netpol:editor');
      return e;
    }, (err: unknown) => {
      this.loading = undefined; // the next call tries again
      this.parent.textContent = `The editor did not load (${String((err as Error)?.message ?? err)}); reload the page.`;
      throw err;
    });
    return this.loading;
  }

  open(file: string, text: string): void {
    if (this.real) return this.real.open(file, text);
    this.openFile = file;
    this.text = text;
  }

  forget(file: string): void {
    if (this.real) return this.real.forget(file);
    if (this.openFile === file) this.openFile = '';
  }

  setDiagnostics(diags: readonly Diagnostic[]): void {
    this.diags = diags;
    this.real?.setDiagnostics(diags);
  }

  jumpTo(line: number, column = 1): void {
    if (this.real) return this.real.jumpTo(line, column);
    this.wanted = { line, column };
    void this.load().catch(() => undefined);
  }

  focus(): void {
    if (this.real) return this.real.view.focus();
    this.wanted ??= 'focus';
    void this.load().catch(() => undefined);
  }
}
