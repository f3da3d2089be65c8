import {b2} from './workloads.ts';
import {buildReachability} from '../src/matrix/engine.ts';
import {hasBit, popcount} from '../src/matrix/bitset.ts';
import {referenceAllowed} from '../test/oracle/reference.ts';
const c=b2(Number(process.argv[2]??1000)); const e=buildReachability(c);
let bad=0, ones=0, n=0;
for (let i=0;i<c.pods.length;i+=Math.ceil(c.pods.length/140)) for (let j=0;j<c.pods.length;j+=Math.ceil(c.pods.length/300)) { if(i===j) continue;
  const want=referenceAllowed(c,c.pods[i],c.pods[j],80,'TCP'); const row=e.row(e.classOfIndex(i));
  const got=hasBit(row[e.atomOf('TCP',80)], e.classOfIndex(j)); if(got!==want) bad++; if(want) ones++; n++; }
console.log({bad, ones, n});
let pairs=0; for (const id of e.liveClassIds()) { const row=e.row(id); pairs+=e.rowPodPairs(id,row[0]); console.log(popcount(row[0])); break;}
