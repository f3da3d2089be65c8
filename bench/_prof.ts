import {b2,b3a,b3d} from '/work/main/bench/workloads.ts';
import {buildReachability} from '/work/main/src/matrix/engine.ts';
const w = process.argv[2];
const c = w==='b2' ? b2(10000) : w==='b3a' ? b3a() : b3d();
let t=performance.now();
const e=buildReachability(c); console.log('build', performance.now()-t); t=performance.now();
let pairs=0; for (const id of e.liveClassIds()) { const row=e.row(id); for (const b of row) pairs+=e.rowPodPairs(id,b); }
console.log('rows', performance.now()-t, pairs);
