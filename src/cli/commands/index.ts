// Every command of the CLI. A command module exports `register(program, run)`.
import type { Command } from 'commander';
import type { Run } from '../main.js';
import { register as check } from './check.js';
import { register as compile } from './compile.js';
import { register as demo } from './demo.js';
import { register as lab } from './lab.js';
import { register as matrix } from './matrix.js';
import { register as query } from './query.js';
import { register as lint } from './lint.js';
import { register as diff } from './diff.js';
import { register as test } from './test.js';
import { register as coverage } from './coverage.js';
import { register as explain } from './explain.js';
import { register as serve } from './serve.js';
import { register as list } from './list.js';

export const COMMANDS: ((program: Command, run: Run) => void)[] = [check, matrix, query, demo, serve, compile, lab, lint, diff, test, coverage, explain, list];
