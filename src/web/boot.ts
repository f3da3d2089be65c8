// The page's entry, a few kB: start the engine worker, the manifests' fetch and their first
// analysis (early.ts), then load the page's modules (main.ts and Cytoscape) meanwhile.
import './early';

void import('./main');
