// Loaded with `node --import` into each process the e2e bench times: on exit, writes the
// process's own peak RSS (KiB) to $NETPOL_BENCH_RSS. (A wrapper such as /usr/bin/time would
// survive the bench's timeout kill and leave the command running.)
import { writeFileSync } from 'node:fs';

const file = process.env.NETPOL_BENCH_RSS;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
