// Builders for upstream-style field paths (apimachinery field.Path): `a.b[0].c`.

export function child(parent: string, name: string): string {
  return parent === '' ? name : `${parent}.${name}`;
}

export function index(parent: string, i: number): string {
  return `${parent}[${i}]`;
}

/** Split a path into segments: `spec.ingress[0]` -> ['spec', 'ingress', 0]. */
export function parsePath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (m[1] !== undefined) out.push(m[1]);
    else out.push(Number(m[2]));
  }
  return out;
}
