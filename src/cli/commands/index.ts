// Every command of the CLI. A command module exports `register(program, run)`.
import type { Command } from 'commander';
import type { Run } from '../main.js';
import { register as check } from './check.js';
import { register as demo } from './demo.js';
import { register as matrix } from './matrix.js';
import { register as query } from './query.js';

export const COMMANDS: ((program: Command, run: Run) => void)[] = [check, matrix, query, demo];
