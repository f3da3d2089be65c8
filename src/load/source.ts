/** One input text and the name its diagnostics use (a file path, `<stdin>`, a page tab). */
export interface Source {
  file: string;
  text: string;
}
