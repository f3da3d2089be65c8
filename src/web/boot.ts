// The page's entry: start the worker and the manifests' fetch (early.ts), then load the page.
import './early';

void import('./main');
