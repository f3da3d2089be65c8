// Three-valued answers: some verdicts hinge on facts the manifests do not state
// (a pod without an IP against an ipBlock, how a plugin treats ipBlocks and pod IPs).
export type Tri = true | false | 'depends';

export function triOr(a: Tri, b: Tri): Tri {
  if (a === true || b === true) return true;
  if (a === 'depends' || b === 'depends') return 'depends';
  return false;
}

export function triAnd(a: Tri, b: Tri): Tri {
  if (a === false || b === false) return false;
  if (a === 'depends' || b === 'depends') return 'depends';
  return true;
}
