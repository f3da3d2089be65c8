// The base of the end-to-end ratios: a node process that only reads and parses the input file,
// the least any tool must pay to read it. YAML: the `yaml` package's parseAllDocuments (a CST
// and documents, no conversion to JS values); JSON: JSON.parse.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

const file = process.argv[2];
const text = readFileSync(file, 'utf8');
const docs = file.endsWith('.json') ? [JSON.parse(text)] : parseAllDocuments(text);
if (!docs) process.exit(1);
