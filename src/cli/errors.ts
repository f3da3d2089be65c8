// The CLI's user-facing failure and the version: light (no engine import), for main.ts.
import { readFileSync } from 'node:fs';
import { terminalBlock } from '../render/escape.js';

/** Thrown for a user-facing failure; main prints the message and exits with `code`. */
export class CliError extends Error {
  constructor(message: string, readonly code: number) {
    // Messages quote names and paths; keep their lines, escape every other control character.
    super(terminalBlock(message));
  }
}

/** The version in package.json (one place: --version, SARIF's tool.driver.version). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}
