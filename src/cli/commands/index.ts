// Every command of the CLI, as a light table: names, arguments, options and help text here;
// each implementation module is imported only when its command runs (start-up stays small:
// `netpol --version` and `--help` load no engine code). Add new commands here.
import { Option, type Command } from 'commander';
import { clusterOptions, collect, joinNamespaces, loadOptions, SKIP_INVALID_FLAG, SKIP_INVALID_HELP, type Run } from '../options.js';

type Register = (program: Command, run: Run) => void;

const check: Register = (program, run) => {
  loadOptions(program.command('check').argument('[paths...]', 'files or folders of manifests, - for stdin'))
    .description('validate manifests as the API server would (exit 1 on errors)')
    .addOption(new Option('-o, --format <format>', 'output format').choices(['text', 'json', 'sarif', 'github']).default('text'))
    .action((paths: string[], o) => run(import('./check.js').then((m) => m.checkCommand(paths, o))));
};

const matrix: Register = (program, run) => {
  clusterOptions(program.command('matrix').argument('[paths...]', 'files or folders of manifests'))
    .description('reachability for every ordered pod pair and port')
    .option('-p, --port <port/proto>', 'port to probe, e.g. 80, 53/UDP, http (repeatable; default: every declared port)', collect, [])
    .option('--namespace <ns>', 'only pods in this namespace (repeatable)', collect, [])
    .option('--default-namespace <ns>', 'namespace for objects that name none')
    .option('--max-bytes <n>', 'largest input file accepted, in bytes')
    .option(SKIP_INVALID_FLAG, SKIP_INVALID_HELP)
    .option('--services', 'label pods with the Services that front them (JSON: a `services` map)')
    .addOption(new Option('-o, --format <format>', 'output format (classes-json: the matrix compressed by pod class)').choices(['table', 'json', 'csv', 'md', 'classes-json']).default('table'))
    .addOption(new Option('--ipblock-pods <mode>', 'whether ipBlocks match pod IPs: match, ignore, or depends (rows hold only certain allows); every mode lists the cells that depend').choices(['match', 'ignore', 'depends']).default('match'))
    .action((paths: string[], o) => run(import('./matrix.js').then((m) => m.matrixCommand(paths, { ...o, filterNamespace: o.namespace, namespace: o.defaultNamespace, output: o.format }))));
};

const query: Register = (program, run) => {
  loadOptions(program.command('query').argument('[paths...]', 'files or folders of manifests'))
    .description('may one endpoint reach another, and why (egress and ingress traced)')
    .requiredOption('--from <endpoint>', 'ns/name of a pod or workload, or an IP')
    .requiredOption('--to <endpoint>', 'ns/name of a pod or workload, an IP, or svc:ns/name (every backing pod on its target port; --port is then the Service port)')
    .requiredOption('-p, --port <port/proto>', 'port number or name, optionally /TCP, /UDP or /SCTP')
    .addOption(new Option('-o, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(new Option('--ipblock-pods <mode>', 'whether ipBlocks match pod IPs: match (assume they do), ignore, or depends (answer "depends" where it decides)').choices(['match', 'ignore', 'depends']).default('match'))
    .action((paths: string[], o) => run(import('./query.js').then((m) => m.queryCommand(paths, { ...o, output: o.format }))));
};

const demo: Register = (program, run) => {
  program.command('demo').description('the built-in web/API/DB example: check, matrix, list, explained queries')
    .action(() => run(import('./demo.js').then((m) => m.demoCommand())));
};

const serve: Register = (program, run) => {
  clusterOptions(program.command('serve').argument('[paths...]', 'files or folders of manifests to open (default: the built-in example)'))
    .description('open the web page (editor, matrix, graph, explained verdicts) on these manifests')
    .option('--port <port>', 'port to listen on (0: any free port)', '8080')
    .option('--host <host>', 'address to bind; keep the loopback default unless you mean to share the manifests', '127.0.0.1')
    .option('--max-bytes <n>', 'largest input file accepted, in bytes')
    .option('-n, --namespace <ns>', 'with --cluster: read only these namespaces (repeatable or comma list)', joinNamespaces)
    .action((paths: string[], o) => run(import('./serve.js').then((m) => m.serveCommand(paths, o))));
};

// Tier cases the compiler cannot decide (dataplane/nft/tiers.ts Undecided).
const undecidedOption = () => new Option('--undecided <mode>', "tier cases the API leaves to the implementation (equal-priority overlaps, domainNames): refuse, or assume the engine's order").choices(['refuse', 'assume']).default('refuse');

const compile: Register = (program, run) => {
  loadOptions(program.command('compile').argument('[paths...]', 'files or folders of manifests'))
    .description('compile the NetworkPolicies to a dataplane ruleset (nftables, for `nft -f`)')
    .addOption(new Option('-t, --target <target>', 'dataplane').choices(['nftables']).default('nftables'))
    .option('--table <name>', 'nftables table name (family inet)', 'netpol')
    .addOption(undecidedOption())
    .action((paths: string[], o) => run(import('./compile.js').then((m) => m.compileCommand(paths, o))));
};

const lab: Register = (program, run) => {
  // 'default' is DEFAULT_LAB of dataplane/lab.ts, written out so that help loads no dataplane code.
  const nameOption = () => new Option('--name <name>', 'lab name (one lab per name; 1-63 of a-z, 0-9, -)').default('default');
  const impl = () => import('./lab.js');
  const lab = program.command('lab').description('run the policies on a real Linux dataplane: namespaces per pod, nftables, real probes (root)');
  loadOptions(lab.command('up').argument('<paths...>', 'files or folders of manifests'))
    .description('create a namespace per pod (listening on the declared ports) and load the compiled policies')
    .addOption(nameOption())
    .option('-p, --port <port/proto>', 'extra port every pod listens on, e.g. 8080 or 53/UDP (repeatable)', collect, [])
    .option('--no-external', 'do not simulate the single-address ipBlocks as outside hosts')
    .addOption(undecidedOption())
    .action((paths: string[], o) => run(impl().then((m) => m.labUpCommand(paths, o))));
  loadOptions(lab.command('apply').argument('<paths...>', 'files or folders with the NetworkPolicies'))
    .description("replace the lab's NetworkPolicies and tier policies (one nft transaction); pods stay")
    .addOption(nameOption())
    .addOption(undecidedOption())
    .action((paths: string[], o) => run(impl().then((m) => m.labApplyCommand(paths, o))));
  lab.command('probe')
    .description("open a real connection for every pod pair and port; compare with the engine's matrix (exit 1 on disagreement)")
    .addOption(nameOption())
    .option('-p, --port <port/proto>', 'port to probe, e.g. 80, 53/UDP, http (repeatable; default: every declared port)', collect, [])
    .option('--timeout <ms>', 'per-connection timeout; a dropped connection shows as a timeout', '300')
    .addOption(new Option('-o, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((o) => run(impl().then((m) => m.labProbeCommand(o))));
  lab.command('down').description('remove everything the lab created (safe when nothing is up)')
    .addOption(nameOption())
    .action((o) => run(impl().then((m) => m.labDownCommand(o))));
};

const lint: Register = (program, run) => {
  loadOptions(program.command('lint').argument('[paths...]', 'files or folders of manifests'))
    .description('warn about valid but likely-wrong policies (rule ids in docs/ANALYSIS.md)')
    .addOption(new Option('-o, --format <format>', 'output format').choices(['text', 'json', 'sarif', 'github']).default('text'))
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding of this severity or worse exists').choices(['warning', 'error']).default('error'))
    .option('--disable <rule>', 'skip rules by id (repeatable, or comma-separated)', collect, [])
    .option('--enable <rule>', 'run only these rules (repeatable, or comma-separated)', collect, [])
    .addOption(new Option('--ipblock-pods <mode>', 'whether ipBlocks match pod IPs, for rules that evaluate connections (DNS)').choices(['match', 'ignore', 'depends']).default('match'))
    .action((paths: string[], o) => run(import('./lint.js').then((m) => m.lintCommand(paths, o))));
};

const diff: Register = (program, run) => {
  loadOptions(program.command('diff').argument('[paths...]', '<before> <after>, or with --git REV the paths to compare'))
    .description('connections a change opens and closes, and the policies it changes')
    .option('--git <rev>', 'compare the given paths at this git revision (before) with the working tree (after)')
    .option('-p, --port <port/proto>', 'port to probe (repeatable; default: every declared port)', collect, [])
    .option('--exit-code', 'exit 1 when anything changed')
    .option('--subset', 'exit 1 unless the new policies allow nothing the old did not (with counter-examples)')
    .option('--equivalent', 'exit 1 unless both allow exactly the same (with counter-examples)')
    .addOption(new Option('-o, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(new Option('--ipblock-pods <mode>', 'whether ipBlocks match pod IPs (match, ignore, or depends: only certain allows count)').choices(['match', 'ignore', 'depends']).default('match'))
    .action((paths: string[], o) => run(import('./diff.js').then((m) => m.diffCommand(paths, o))));
};

const test: Register = (program, run) => {
  loadOptions(program.command('test').argument('[paths...]', 'files or folders of manifests'))
    .description('check reachability expectations (exit 1 when one fails)')
    .requiredOption('-e, --expect <file>', 'YAML file of assertions like `prod/api -> prod/db:3306/TCP allow`')
    .addOption(new Option('-o, --format <format>', 'output format').choices(['text', 'json', 'junit', 'github']).default('text'))
    .addOption(new Option('--ipblock-pods <mode>', 'whether ipBlocks match pod IPs (default: the file\'s ipBlockPods, else match); under depends, a connection that hinges on it fails an allow/deny assertion').choices(['match', 'ignore', 'depends']))
    .action((paths: string[], o) => run(import('./test.js').then((m) => m.testCommand(paths, o))));
};

const coverage: Register = (program, run) => {
  loadOptions(program.command('coverage').argument('[paths...]', 'files or folders of manifests'))
    .description('pods no policy isolates, and who may reach each pod (incl. pods/namespaces not deployed yet)')
    .addOption(new Option('-o, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(new Option('--ipblock-pods <mode>', 'whether ipBlocks match pod IPs').choices(['match', 'ignore']).default('match'))
    .action((paths: string[], o) => run(import('./coverage.js').then((m) => m.coverageCommand(paths, o))));
};

const explain: Register = (program, run) => {
  loadOptions(program.command('explain').argument('[paths...]', 'files or folders of manifests'))
    .description('every policy in plain words: whom it isolates, who may connect on which ports')
    .addOption(new Option('-o, --format <format>', 'output format').choices(['text', 'table', 'json']).default('text'))
    .action((paths: string[], o) => run(import('./explain.js').then((m) => m.explainCommand(paths, o))));
};

const list: Register = (program, run) => {
  loadOptions(program.command('list').argument('[paths...]', 'files or folders of manifests'))
    .description('the exact connectivity list: every allowed pair (workloads, pods, external ranges) with its port ranges')
    .addOption(new Option('--by <view>', 'ends are workloads (pods grouped by owner) or single pods; class: groups of pods every answer treats alike, written compactly (for big clusters); namespace (dot, mermaid, svg only): one node per namespace').choices(['workload', 'pod', 'class', 'namespace']).default('workload'))
    .option('--from <end>', 'only these sources: ns, ns/name, ns/label=value, an IP or a CIDR (repeatable)', collect, [])
    .option('--to <end>', 'only these destinations: ns, ns/name, ns/label=value, an IP, a CIDR, or svc:ns/name (its backing pods, on its target ports unless -p is given) (repeatable)', collect, [])
    .option('-p, --port <port>', 'only these ports: 443, 8000-8080 or a name, optionally /TCP, /UDP or /SCTP; any protocol unless given (repeatable)', collect, [])
    .option('--services', 'label workloads and pods with the Services that front them (JSON: a `services` map)')
    .addOption(new Option('-o, --format <format>', 'output format; dot, mermaid and svg draw the list as a graph').choices(['text', 'json', 'csv', 'md', 'dot', 'mermaid', 'svg']).default('text'))
    .addOption(new Option('--ipblock-pods <mode>', 'whether ipBlocks match pod IPs').choices(['match', 'ignore', 'depends']).default('match'))
    .action((paths: string[], o) => run(import('./list.js').then((m) => m.listCommand(paths, { ...o, output: o.format }))));
};

const generate: Register = (program, run) => {
  loadOptions(program.command('generate').argument('[paths...]', 'files or folders of manifests (pods, workloads, namespaces), or --cluster'))
    .description('least-privilege NetworkPolicies from expectations, observed flows or an existing set, proved by the engine')
    .option('-e, --expect <file>', 'expectations file (the `netpol test` format) the policies must make true')
    .option('--from-flows <file>', 'observed flows: lab probe JSON, `hubble observe -o json` lines, or CSV source,destination,port,protocol')
    .option('--from-policies', 'rewrite the NetworkPolicies in <paths> into a smaller equivalent set')
    .option('--tier <tier>', 'admin|baseline: ClusterNetworkPolicies (v1alpha2) for cluster-wide guardrails instead, proved with the input\'s NetworkPolicies in place (with --expect)')
    .option('--no-dns', 'do not keep DNS egress (kube-system k8s-app=kube-dns, 53 UDP+TCP) for pods whose egress is isolated')
    .option('-o, --output-dir <dir>', 'write one file per policy into this folder instead of stdout')
    .addOption(new Option('--format <format>', 'output format: YAML policies, or JSON with the proof').choices(['yaml', 'json']).default('yaml'))
    .action((paths: string[], o) => run(import('./generate.js').then((m) => m.generateCommand(paths, o))));
};


const snapshot: Register = (program, run) => {
  clusterOptions(program.command('snapshot'))
    .description('write what --cluster reads (a v1 List without managedFields) for offline commands and issue reports')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .addOption(new Option('--format <format>', 'file format').choices(['yaml', 'json']).default('yaml'))
    .option('-n, --namespace <ns>', 'read only these namespaces (repeatable or comma list)', joinNamespaces)
    .action((o) => run(import('./snapshot.js').then((m) => m.snapshotCommand({ ...o, cluster: true }))));
};

const watch: Register = (program, run) => {
  clusterOptions(program.command('watch'))
    .description('list and watch the live cluster; print every reachability change (opened/closed pairs and the object change that caused it)')
    .addOption(new Option('-o, --format <format>', 'output format (json: one JSON object per line)').choices(['text', 'json']).default('text'))
    .option('-p, --port <port/proto>', 'port to follow (repeatable; default: every declared port)', collect, [])
    .option('-n, --namespace <ns>', 'watch only these namespaces (repeatable or comma list)', joinNamespaces)
    .action((o) => run(import('./watch.js').then((m) => m.watchCommand({ ...o, cluster: true }))));
};


const migrate: Register = (program, run) => {
  loadOptions(program.command('migrate').argument('[paths...]', 'files or folders with AdminNetworkPolicy/BaselineAdminNetworkPolicy (v1alpha1)'))
    .description('rewrite v1alpha1 AdminNetworkPolicy/BaselineAdminNetworkPolicy as ClusterNetworkPolicy v1alpha2, printed only once proved equivalent')
    .option('-o, --output <dir>', 'write one <name>.yaml per ClusterNetworkPolicy into this folder (existing files are not overwritten)')
    .option('--baseline-priority <n>', 'priority of the ClusterNetworkPolicy the BaselineAdminNetworkPolicy becomes (0-1000)', '0')
    .addOption(new Option('--format <format>', 'yaml: the ClusterNetworkPolicies on stdout (the proof on stderr); json: both as one object').choices(['yaml', 'json']).default('yaml'))
    .action((paths: string[], o) => run(import('./migrate.js').then((m) => m.migrateCommand(paths, o))));
};


export const COMMANDS: Register[] = [check, matrix, query, demo, serve, compile, lab, lint, diff, test, coverage, explain, list, generate, migrate, snapshot, watch];
