// Generates the data of test/conformance/npa/ from the upstream ClusterNetworkPolicy conformance
// suite (kubernetes-sigs/network-policy-api, Apache-2.0) at a pinned commit. Run it only when
// re-pinning; its output is committed and the tests never need the mirror:
//   node test/conformance/npa/generate.mjs [/path/to/network-policy-api.git]
//
// What it does:
// 1. copies conformance/base/**/*.yaml verbatim into upstream/ (plus a NOTICE header);
// 2. walks every conformance/tests/*.go file in source order: ConformanceTest blocks, t.Run
//    subtests, GetPod variables, PokeServer probes and the in-test mutation calls;
// 3. applies the mutations (declared below, one per upstream Patch/Delete call, each checked
//    against the Go text it stands for) to the test's objects and writes each resulting object
//    out in full, so cases.yaml is a flat script: steps of {apply/delete, probes}.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, stringify } from 'yaml';

const COMMIT = '0eec1b0';
const REPO = 'kubernetes-sigs/network-policy-api';
const here = dirname(fileURLToPath(import.meta.url));
const gitDir = process.argv[2] ?? '/work/.mirror/kubernetes-sigs+network-policy-api/repo';
const git = (...args) => execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
const show = (path) => git('show', `${COMMIT}:${path}`);
const fullCommit = git('rev-parse', COMMIT).trim();

// suite.go: HostNetworkPortRangeStart defaults to 34345, hostNetworkPortsAmount = 8.
const HOST_NETWORK_PORTS = [34345, 34346, 34347, 34348, 34349, 34350, 34351, 34352];
const render = (text) => text.replace(/\{\{\s*index \.HostNetworkPorts (\d+)\s*\}\}/g, (_, i) => String(HOST_NETWORK_PORTS[Number(i)]));

const notice = (path) =>
  `# Copied verbatim from ${REPO} ${path} at commit ${fullCommit}.\n` +
  `# Copyright The Kubernetes Authors. Licensed under the Apache License, Version 2.0\n` +
  `# (http://www.apache.org/licenses/LICENSE-2.0). Only these header lines were added.\n`;

// --- 1. verbatim copies -----------------------------------------------------------------------
const baseFiles = git('ls-tree', '-r', '--name-only', COMMIT, 'conformance/base').split('\n').filter((f) => f.endsWith('.yaml'));
const baseText = new Map();
for (const f of baseFiles) {
  const text = show(f);
  baseText.set(f.replace(/^conformance\//, ''), text);
  const out = join(here, 'upstream', f.replace(/^conformance\/base\//, ''));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, notice(f) + text);
}
const objectsOf = (manifest) =>
  parseAllDocuments(render(baseText.get(manifest))).map((d) => d.toJSON()).filter((o) => o && typeof o === 'object');

// --- 3. mutations: one entry per upstream mutating call, in source order per test ------------
// `call` is the Go function the entry stands for; `evidence` must occur in the subtest's Go text.
const swap = (dir, i, j) => ({
  call: 'PatchClusterNetworkPolicy',
  evidence: [`mutate.Spec.${dir}[${i}] = mutate.Spec.${dir}[${j}]`],
  change: `swap spec.${dir.toLowerCase()}[${i}] and [${j}]`,
  edit: (p) => { const r = p.spec[dir.toLowerCase()]; [r[i], r[j]] = [r[j], r[i]]; },
});
const both = (a, b) => ({ ...a, evidence: [...a.evidence, ...b.evidence], change: `${a.change}; ${b.change.replace('swap ', '')}`, edit: (p) => { a.edit(p); b.edit(p); } });
const namedPort = (dir, i, name) => ({
  call: 'PatchClusterNetworkPolicy',
  evidence: [`mutate.Spec.${dir}[${i}] = `, `DestinationNamedPort: `, `Port := "${name}"`],
  change: `spec.${dir.toLowerCase()}[${i}].protocols = [{destinationNamedPort: ${name}}]`,
  edit: (p) => { p.spec[dir.toLowerCase()][i].protocols = [{ destinationNamedPort: name }]; },
});
const setAction = (dir, i, action) => ({
  call: 'PatchClusterNetworkPolicy',
  evidence: [`mutate.Spec.${dir}[${i}].Action = api.ClusterNetworkPolicyRuleAction${action}`],
  change: `spec.${dir.toLowerCase()}[${i}].action = ${action}`,
  edit: (p) => { p.spec[dir.toLowerCase()][i].action = action; },
});
const relabel = (ns, house) => ({
  call: 'PatchNamespace',
  evidence: [`SetLabels(map[string]string{"conformance-house": "${house}"})`],
  change: `namespace ${ns} labels = {conformance-house: ${house}} (the API server keeps kubernetes.io/metadata.name)`,
  namespace: { name: ns, labels: { 'conformance-house': house, 'kubernetes.io/metadata.name': ns } },
});
// The inserted rule's networks are the live pod IPs of two server pods (mask /32 on IPv4).
const insertPodIpRule = (podRefs) => ({
  call: 'PatchClusterNetworkPolicy',
  evidence: ['mutate.Spec.Egress = append(newRule, mutate.Spec.Egress...)', 'Name:   "allow-egress-to-specific-podIPs"', 'Action: "Accept"',
    ...podRefs.map((r) => `GetPod(t, s.Client, "${r.split('/')[0]}", "${r.split('/')[1]}"`)],
  change: `insert at spec.egress[0]: Accept to networks [${podRefs.join(', ')} pod IPs /32]`,
  podIpRule: podRefs,
  edit: (p, ipOf) => {
    p.spec.egress.unshift({ name: 'allow-egress-to-specific-podIPs', action: 'Accept', to: [{ networks: podRefs.map((r) => `${ipOf(r)}/32`) }] });
  },
});
const deleteNp = (ns, name) => ({
  call: 'Delete',
  evidence: [`Namespace: "${ns}"`, `Name:      "${name}"`, 's.Client.Delete(ctx, np)'],
  change: `delete NetworkPolicy ${ns}/${name}`,
  delete: { kind: 'NetworkPolicy', namespace: ns, name },
});
const priority = (value) => ({
  call: 'PatchClusterNetworkPolicy',
  evidence: [`mutate.Spec.Priority = ${value}`],
  change: `spec.priority = ${value}`,
  edit: (p) => { p.spec.priority = value; },
});
const G = 'network-policy-conformance-';
const rulesOrder = (dir) => [swap(dir, 0, 1), swap(dir, 0, 2), swap(dir, 3, 4)];
const MUTATIONS = {
  CNPAdminTierEgressNamedPort: [namedPort('Egress', 5, 'web')],
  CNPAdminTierIngressNamedPort: [namedPort('Ingress', 5, 'dns')],
  CNPAdminTierEgressInlineCIDRPeers: [relabel(`${G}slytherin`, 'denied-namespace-label'), relabel(`${G}slytherin`, 'slytherin'),
    insertPodIpRule([`${G}ravenclaw/luna-lovegood-0`, `${G}hufflepuff/cedric-diggory-0`])],
  CNPAdminTierEgressSCTP: rulesOrder('Egress'),
  CNPAdminTierEgressTCP: rulesOrder('Egress'),
  CNPAdminTierEgressUDP: rulesOrder('Egress'),
  CNPAdminTierIngressSCTP: rulesOrder('Ingress'),
  CNPAdminTierIngressTCP: rulesOrder('Ingress'),
  CNPAdminTierIngressUDP: rulesOrder('Ingress'),
  CNPAdminTierGress: [both(swap('Egress', 0, 1), swap('Ingress', 0, 1)), both(swap('Egress', 0, 2), swap('Ingress', 0, 2)), both(swap('Egress', 3, 4), swap('Ingress', 3, 4))],
  CNPAdminTierIntegration: [setAction('Ingress', 0, 'Pass'), setAction('Egress', 0, 'Pass'), deleteNp(`${G}gryffindor`, 'allow-gress-from-to-slytherin-to-gryffindor')],
  CNPAdminTierPriorityField: [priority(40)],
  CNPBaselineTierEgressNamedPort: [namedPort('Egress', 3, 'dns')],
  CNPBaselineTierIngressNamedPort: [namedPort('Ingress', 3, 'web')],
  CNPBaselineTierEgressInlineCIDRPeers: [relabel(`${G}slytherin`, 'denied-namespace-label'), relabel(`${G}slytherin`, 'slytherin'),
    insertPodIpRule([`${G}ravenclaw/luna-lovegood-0`, `${G}hufflepuff/cedric-diggory-0`])],
  CNPBaselineTierEgressSCTP: [swap('Egress', 0, 1)],
  CNPBaselineTierEgressTCP: [swap('Egress', 0, 1)],
  CNPBaselineTierEgressUDP: [swap('Egress', 0, 1)],
  CNPBaselineTierGress: [both(swap('Egress', 0, 1), swap('Ingress', 0, 1))],
  CNPBaselineTierIngressSCTP: [swap('Ingress', 0, 1)],
  CNPBaselineTierIngressTCP: [swap('Ingress', 0, 1)],
  CNPBaselineTierIngressUDP: [swap('Ingress', 0, 1)],
};

// Pod IPs used for the inserted `networks` rule come from the committed topology (see topology.yaml).
const topology = (await import('yaml')).parse((await import('node:fs')).readFileSync(join(here, 'topology.yaml'), 'utf8'));
const ipOf = (ref) => {
  const p = topology.pods[ref];
  if (!p) throw new Error(`topology.yaml has no pod ${ref}`);
  return p.ip ?? topology.nodes.find((n) => n.name === p.node).addresses[0];
};

// --- 2. walk the Go tests --------------------------------------------------------------------
const stripComments = (src) => src.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' ')).replace(/(^|[\s;,)])\/\/[^\n]*/g, '$1');
const lineOf = (src, index) => src.slice(0, index).split('\n').length;
const EVENT = new RegExp([
  String.raw`t\.Run\("((?:[^"\\]|\\.)*)"`, // 1 subtest name
  String.raw`(\w+)\s*:?=\s*kubernetes\.GetPod\(t, s\.Client, "([^"]+)", "([^"]+)"`, // 2 var, 3 ns, 4 pod
  String.raw`kubernetes\.PokeServer\(t, s\.ClientSet, &s\.KubeConfig, "([^"]+)", "([^"]+)", "(\w+)",\s*(\w+)\.Status\.PodIP, int32\((\d+|s\.HostNetworkPorts\[(\d+)\])\), s\.TimeoutConfig, (true|false)\)`, // 5 ns 6 pod 7 proto 8 var 9 port 10 hn index 11 expect
  String.raw`kubernetes\.(PatchClusterNetworkPolicy|PatchNamespace)\(|s\.Client\.(Delete|Update|Create|Patch)\(`, // 12, 13
  String.raw`kubernetes\.PokeServer\(`, // anything else is an unparsed probe: fail loudly
].map((s) => `(?:${s})`).join('|'), 'g');

const testFiles = git('ls-tree', '--name-only', COMMIT, 'conformance/tests/').split('\n').filter((f) => f.endsWith('.go') && !f.endsWith('/main.go'));
const tests = [];
const raw = { tests: 0, subtests: 0, probes: 0 };
for (const file of testFiles) {
  const original = show(file);
  const src = stripComments(original);
  raw.subtests += (src.match(/t\.Run\(/g) ?? []).length;
  raw.probes += (src.match(/kubernetes\.PokeServer\(/g) ?? []).length;
  const starts = [...src.matchAll(/var (\w+) = suite\.ConformanceTest\{/g)];
  raw.tests += starts.length;
  starts.forEach((start, k) => {
    const block = src.slice(start.index, k + 1 < starts.length ? starts[k + 1].index : src.length);
    const blockOffset = start.index;
    const name = /ShortName:\s*"([^"]+)"/.exec(block)[1];
    if (name !== start[1]) throw new Error(`${file}: var ${start[1]} has ShortName ${name}`);
    const description = /Description:\s*"((?:[^"\\]|\\.)*)"/.exec(block)[1];
    const features = [...(/Features:\s*\[\]suite\.SupportedFeature\{([^}]*)\}/.exec(block)[1]).matchAll(/suite\.Support(\w+)/g)].map((m) => m[1]);
    const manifests = [...(/Manifests:\s*\[\]string\{([^}]*)\}/.exec(block)[1]).matchAll(/"([^"]+)"/g)].map((m) => m[1]);
    const feature = features.includes('ClusterNetworkPolicyNamedPorts') ? 'NamedPorts' : features.includes('ClusterNetworkPolicyEgressNodePeers') ? 'EgressNodePeers' : 'standard';
    // The objects of this test as they stand now (fresh from the manifests at test start).
    const objects = manifests.flatMap(objectsOf);
    const mutations = [...(MUTATIONS[name] ?? [])];
    const vars = new Map();
    const subtests = [];
    // Text of the current subtest, for the evidence check.
    const runStarts = [...block.matchAll(/t\.Run\(/g)].map((m) => m.index);
    const subtestText = (at) => { const i = runStarts.filter((s) => s <= at).length - 1; return block.slice(runStarts[i], runStarts[i + 1] ?? block.length); };
    let steps;
    for (const m of block.matchAll(EVENT)) {
      const line = lineOf(src, blockOffset + m.index);
      if (m[1] !== undefined) {
        steps = [{ probes: [] }];
        subtests.push({ name: JSON.parse(`"${m[1]}"`), line, steps });
      } else if (m[2] !== undefined) {
        vars.set(m[2], `${m[3]}/${m[4]}`);
      } else if (m[5] !== undefined) {
        if (!vars.has(m[8])) throw new Error(`${file}:${line}: unknown server variable ${m[8]}`);
        const port = m[10] !== undefined ? HOST_NETWORK_PORTS[Number(m[10])] : Number(m[9]);
        steps.at(-1).probes.push({ from: `${m[5]}/${m[6]}`, to: vars.get(m[8]), port, protocol: m[7].toUpperCase(), expect: m[11] === 'true' ? 'allow' : 'deny', line });
      } else if (m[12] !== undefined || m[13] !== undefined) {
        const call = m[12] ?? m[13];
        const mut = mutations.shift();
        if (!mut || mut.call !== call) throw new Error(`${file}:${line}: ${name} has no declared mutation for ${call}`);
        const text = subtestText(m.index);
        for (const e of mut.evidence) if (!text.includes(e)) throw new Error(`${file}:${line}: evidence not found: ${e}`);
        const step = { change: mut.change, line };
        if (mut.edit) {
          const policy = objects.find((o) => o.kind === 'ClusterNetworkPolicy' && text.includes(`GetClusterNetworkPolicy(t, s.Client, "${o.metadata.name}"`));
          if (!policy) throw new Error(`${file}:${line}: which ClusterNetworkPolicy is patched?`);
          mut.edit(policy, ipOf);
          step.apply = [structuredClone(policy)];
        } else if (mut.namespace) {
          step.apply = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: mut.namespace.name, labels: mut.namespace.labels } }];
        } else if (mut.delete) {
          const i = objects.findIndex((o) => o.kind === mut.delete.kind && o.metadata.name === mut.delete.name && o.metadata.namespace === mut.delete.namespace);
          if (i < 0) throw new Error(`${file}:${line}: nothing to delete`);
          objects.splice(i, 1);
          step.delete = [mut.delete];
        }
        steps.push({ ...step, probes: [] });
      } else {
        throw new Error(`${file}:${line}: PokeServer call in an unexpected form`);
      }
    }
    if (mutations.length) throw new Error(`${name}: ${mutations.length} declared mutations were not used`);
    for (const st of subtests) st.steps = st.steps.filter((s, i) => i > 0 || s.probes.length > 0);
    tests.push({ name, source: file, description, features, feature, manifests, subtests });
  });
}
for (const k of Object.keys(MUTATIONS)) if (!tests.some((t) => t.name === k)) throw new Error(`mutation table names unknown test ${k}`);

const counts = {
  tests: tests.length,
  subtests: tests.reduce((n, t) => n + t.subtests.length, 0),
  probes: tests.reduce((n, t) => n + t.subtests.reduce((m, s) => m + s.steps.reduce((k, st) => k + st.probes.length, 0), 0), 0),
  mutations: tests.reduce((n, t) => n + t.subtests.reduce((m, s) => m + s.steps.filter((st) => st.change).length, 0), 0),
};
for (const k of ['tests', 'subtests', 'probes']) if (counts[k] !== raw[k]) throw new Error(`parsed ${counts[k]} ${k}, but the Go files have ${raw[k]}`);
const byFeature = {};
for (const t of tests) {
  const f = (byFeature[t.feature] ??= { tests: 0, subtests: 0, probes: 0 });
  f.tests++;
  f.subtests += t.subtests.length;
  f.probes += t.subtests.reduce((m, s) => m + s.steps.reduce((k, st) => k + st.probes.length, 0), 0);
}

const header =
  `# GENERATED by test/conformance/npa/generate.mjs from ${REPO} conformance/tests/*.go at commit\n` +
  `# ${fullCommit} (Copyright The Kubernetes Authors, Apache License 2.0). Do not edit by hand.\n` +
  `# Every PokeServer probe of every test, in source order; a step with \`change\` starts after an\n` +
  `# in-test mutation and \`apply\` holds the changed object written out in full (it replaces the\n` +
  `# object of the same kind/namespace/name; later subtests of the same test keep it, as upstream).\n` +
  `# \`line\` is the line in the Go file. Host-network ports are the suite defaults (34345..34352).\n`;
writeFileSync(join(here, 'cases.yaml'), header + stringify({ upstream: { repository: REPO, commit: fullCommit }, counts: { ...counts, byFeature }, hostNetworkPorts: HOST_NETWORK_PORTS, tests }, { lineWidth: 0 }));
console.log(JSON.stringify({ counts, byFeature }));
