// The page: files in the editor → engine (worker) → graph levels, matrix, changes and traces.
// Loaded by boot.ts once the engine and the manifests are on their way; this module wires the
// controls of index.html to the page's modules and starts the first load.
import type { Source } from '../index';
import { $ } from './dom';
import { client } from './early';
import { loadDepends, schedule } from './analysis-run';
import { EXAMPLE, EXAMPLE_INTENT, TIERS_EXAMPLE } from './examples';
import { generateCluster } from './generate';
import { generatePanel } from './generate-panel';
import { graph, renderGraph, search, selectLayer } from './graph-panel';
import { exportAs } from './graph-export';
import { renderMatrixView } from './matrix-panel';
import { explain } from './query';
import { addFiles, readFiles, setFiles, start } from './sources';
import { openFile } from './files';
import { wireTabs } from './tabs';
import { editor, page } from './state';

performance.mark('netpol:main'); // the page's modules are loaded and evaluated
wireTabs();
editor.onChange = (file, text) => {
  const f = page.files.find((x) => x.file === file);
  if (f) f.text = text;
  schedule(300);
};

for (const id of ['matrix-port', 'matrix-ns', 'matrix-by']) $(id).addEventListener('change', () => void renderMatrixView());
$('matrix-depends').addEventListener('change', () => {
  if ($<HTMLInputElement>('matrix-depends').checked && page.analysis && !$('status').dataset.depends) void loadDepends();
  void renderMatrixView();
});
$('graph-port').addEventListener('change', () => renderGraph());
$('graph-layer').addEventListener('change', () => void selectLayer($<HTMLSelectElement>('graph-layer').value));
$('search-form').addEventListener('submit', (e) => { e.preventDefault(); search($<HTMLInputElement>('graph-search').value); });
$('graph-search').addEventListener('change', () => search($<HTMLInputElement>('graph-search').value));
for (const kind of ['svg', 'png', 'dot', 'mermaid'] as const) $(`export-${kind}`).addEventListener('click', () => exportAs(kind));
$('query-form').addEventListener('submit', (e) => {
  e.preventDefault();
  void explain($<HTMLInputElement>('q-from').value, $<HTMLInputElement>('q-to').value, $<HTMLInputElement>('q-port').value);
});
const loadSet = (sources: Source[]) => {
  page.autoDependsNext = true;
  delete $('status').dataset.depends;
  setFiles(sources, true);
};
$('load-example').addEventListener('click', () => loadSet(EXAMPLE));
$('load-large').addEventListener('click', () => loadSet(generateCluster()));
$('load-tiers').addEventListener('click', () => loadSet(TIERS_EXAMPLE));
generatePanel($('view-generate'), EXAMPLE_INTENT, (text, dns) => client.call('generate', text, dns));
$('new-file').addEventListener('click', () => {
  let n = 1;
  while (page.files.some((f) => f.file === `untitled-${n}.yaml`)) n++;
  addFiles([{ file: `untitled-${n}.yaml`, text: '' }]);
  editor.focus();
});
$('remove-file').addEventListener('click', () => {
  const gone = editor.file;
  editor.forget(gone);
  page.files = page.files.filter((f) => f.file !== gone);
  openFile(page.files[0]?.file ?? '');
  schedule(0);
});
$('set-baseline').addEventListener('click', () => {
  page.baselineNext = true;
  schedule(0);
});
$<HTMLInputElement>('file-input').addEventListener('change', (e) => void readFiles((e.target as HTMLInputElement).files));
document.addEventListener('dragover', (e) => e.preventDefault());
document.addEventListener('drop', (e) => {
  e.preventDefault();
  void readFiles(e.dataTransfer?.files ?? null);
});
window.addEventListener('resize', () => { if (!$('view-graph').hidden) graph.resize(); });
void start();
