// The page's files: replaced (a served set, an example, the last session), added (opened or
// dropped files), and the first load.
import type { Source } from '../index';
import { served } from './early';
import { openFile } from './files';
import { schedule } from './analysis-run';
import { EXAMPLE } from './examples';
import { STORE, editor, page } from './state';

export function setFiles(sources: Source[], newBaseline: boolean): void {
  for (const f of page.files) editor.forget(f.file);
  page.files = sources.map((s) => ({ ...s }));
  page.baselineNext ||= newBaseline;
  page.gs = { level: 'namespace' };
  page.layer = undefined;
  openFile(page.files[0]?.file ?? '');
  schedule(0);
}

export function addFiles(sources: Source[]): void {
  for (const s of sources) {
    const old = page.files.find((f) => f.file === s.file);
    editor.forget(s.file);
    if (old) old.text = s.text;
    else page.files.push({ ...s });
  }
  if (sources[0]) openFile(sources[0].file);
  schedule(0);
}

export async function readFiles(list: FileList | null): Promise<void> {
  const picked = [...(list ?? [])];
  if (picked.length) addFiles(await Promise.all(picked.map(async (f) => ({ file: f.name, text: await f.text() }))));
}

// First load: the manifests `netpol serve` was given, else the last session, else the example.
// `depends` marks are on by default for small clusters: they cost two pod-level passes, seconds
// at 2,000 pods, and the worker answers nothing else meanwhile.
function autoDepends(_sources: Source[]): void {
  page.autoDependsNext = true;
}
export async function start(): Promise<void> {
  const got = await served;
  if (got.length) { autoDepends(got); return setFiles(got, true); }
  try {
    const kept = JSON.parse(localStorage.getItem(STORE) ?? 'null') as Source[] | null;
    if (Array.isArray(kept) && kept.length) { autoDepends(kept); return setFiles(kept, true); }
  } catch { /* unreadable storage: start fresh */ }
  autoDepends(EXAMPLE);
  setFiles(EXAMPLE, true);
}
