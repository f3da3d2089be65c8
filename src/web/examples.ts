// The built-in web/API/DB example (examples/db-protection), bundled as text.
import namespaces from '../../examples/db-protection/namespaces.yaml?raw';
import workloads from '../../examples/db-protection/workloads.yaml?raw';
import policy from '../../examples/db-protection/db-policy.yaml?raw';
import type { Source } from '../index';

export const EXAMPLE: Source[] = [
  { file: 'db-policy.yaml', text: policy },
  { file: 'namespaces.yaml', text: namespaces },
  { file: 'workloads.yaml', text: workloads },
];
