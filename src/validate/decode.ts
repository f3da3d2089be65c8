// Stage 3, strict decoding: what the API server's case-sensitive strict JSON decoder
// (apimachinery runtime/serializer/json + kubernetes-sigs/json) does to the document.
// Differences from upstream, on purpose: upstream stops at the first type mismatch and then
// reports nothing else; we keep going so one bad spot does not hide unknown fields elsewhere.
// Paths keep list indexes (upstream's type-mismatch texts drop them).
import { child, index } from '../diagnostics/field-path.js';
import type { FieldError } from './field-errors.js';
import { networkPolicy, type FieldSpec, type Shape, type StructShape } from './schema.js';
import { didYouMean } from './suggest.js';
import type { DNetworkPolicy } from './decoded.js';

type Obj = Record<string, unknown>;

export function isPlainObject(v: unknown): v is Obj {
  return Object.prototype.toString.call(v) === '[object Object]';
}

/** The JSON kind Go names in `cannot unmarshal <kind>`. YAML timestamps reach JSON as strings. */
function jsonKind(v: unknown): string {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'string' || v instanceof Date) return 'string';
  if (Array.isArray(v) || v instanceof Set) return 'array';
  return 'object';
}

/**
 * A YAML 1.1 timestamp (`2024-01-01`) arrives as a Date; sigs.k8s.io/yaml (go-yaml v2) keeps
 * such scalars as strings, so read it back as the date or date-time text.
 */
function dateText(d: Date): string {
  const iso = Number.isNaN(d.getTime()) ? '' : d.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
}

interface Ctx {
  errors: FieldError[];
  /** Paths of the objects that held an unknown field. */
  unknownIn: string[];
  /** Innermost Go struct, for `Go struct field <Struct>.<path>`. */
  struct: string;
  /** Inside a lenient field (a dump's `status`): problems are warnings. */
  lenient?: boolean;
}

function report(ctx: Ctx, e: FieldError): void {
  if (ctx.lenient) e.severity = 'warning';
  ctx.errors.push(e);
}

function typeError(ctx: Ctx, path: string, name: string, value: unknown, shape: Shape, key?: string): void {
  let goType: string;
  let valueText = jsonKind(value);
  switch (shape.kind) {
    case 'stringMap': goType = 'map[string]string'; break;
    case 'intOrString': goType = 'int32'; break;
    case 'int': goType = shape.goType; break;
    case 'time': goType = 'string'; break;
    case 'bool': goType = 'bool'; break;
    case 'any': goType = 'interface {}'; break;
    default: goType = shape.goType;
  }
  // Go names the literal when a number does not fit an integer type.
  if (typeof value === 'number' && (shape.kind === 'int' || shape.kind === 'intOrString')) valueText = `number ${value}`;
  // Map values keep the map's path (as upstream label errors do); `key` points at the entry.
  const e: FieldError = {
    type: 'Type mismatch',
    path,
    message: `json: cannot unmarshal ${valueText} into Go struct field ${ctx.struct}.${path} of type ${goType}`,
  };
  const hint = typeHint(name, shape, value, key);
  if (hint) e.hint = hint;
  if (key !== undefined) e.key = key;
  report(ctx, e);
}

function typeHint(name: string, shape: Shape, value: unknown, key?: string): string | undefined {
  const what = key === undefined ? `\`${name}\`` : `the value of "${key}"`;
  if (shape.kind === 'list') {
    if (isPlainObject(value)) return `\`${name}\` needs a list: put "- " before each entry (a forgotten dash gives a mapping)`;
    return `\`${name}\` needs a list, e.g. \`${name}: [${typeof value === 'string' ? value : '...'}]\``;
  }
  if (shape.kind === 'struct' || shape.kind === 'stringMap' || shape.kind === 'opaque') {
    if (Array.isArray(value)) return `\`${name}\` is a single mapping, not a list: remove the "- "`;
    if (typeof value === 'string' && value.includes('=') && (shape.kind === 'stringMap' || shape.goType === 'v1.LabelSelector')) {
      const [k, v] = value.split('=', 2).map((s) => s.trim());
      return shape.kind === 'stringMap'
        ? `write labels as a mapping: \`${name}: {${k}: ${v}}\``
        : `a selector is a mapping: \`${name}: {matchLabels: {${k}: ${v}}}\``;
    }
    if (shape.kind === 'struct' && shape.goType === 'v1.NetworkPolicyPort' && (typeof value === 'number' || typeof value === 'string')) {
      return `write each ports entry as a mapping: \`- port: ${value}\``;
    }
    return `\`${name}\` needs a mapping of fields`;
  }
  if (shape.kind === 'intOrString') {
    if (typeof value === 'number') return `\`${name}\` must be a whole number (1-65535) or a port name`;
    if (Array.isArray(value)) return `\`${name}\` takes one number or name; list several ports as several \`ports\` entries`;
    return `\`${name}\` must be a number (1-65535) or a port name`;
  }
  if (shape.kind === 'int') {
    if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) return `remove the quotes: \`${name}\` must be a number, not a string`;
    if (typeof value === 'string' && (name === 'containerPort' || name === 'hostPort')) {
      return `\`${name}\` is a number; to name the port write \`name: ${value}\` next to it`;
    }
    return `\`${name}\` must be a whole number`;
  }
  if (typeof value === 'boolean') {
    return `quote ${what}: YAML 1.1 (what kubectl reads) turns unquoted yes/no/on/off/y/n/true/false into booleans`;
  }
  if (typeof value === 'number') {
    return `quote ${what}: an unquoted number is not a string (and 1.10 would even become 1.1)`;
  }
  return undefined;
}

function decodeValue(ctx: Ctx, shape: Shape, value: unknown, path: string, name: string): unknown {
  switch (shape.kind) {
    case 'string':
      if (value === null || value === undefined) return '';
      if (typeof value === 'string') return value;
      if (value instanceof Date) return dateText(value);
      typeError(ctx, path, name, value, shape);
      return '';
    case 'time':
      if (value === null || value === undefined || typeof value === 'string' || value instanceof Date) return undefined;
      typeError(ctx, path, name, value, shape);
      return undefined;
    case 'int': {
      if (value === null || value === undefined) return 0;
      const max = shape.goType === 'int32' ? 2 ** 31 - 1 : Number.MAX_SAFE_INTEGER;
      if (typeof value === 'number' && Number.isInteger(value) && value <= max && value >= -max - 1) return value;
      typeError(ctx, path, name, value, shape);
      return 0;
    }
    case 'intOrString':
      // intstr.IntOrString.UnmarshalJSON: a JSON string is always a name, anything else must fit int32.
      if (value === null || value === undefined) return undefined;
      if (typeof value === 'string') return value;
      if (value instanceof Date) return dateText(value);
      if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= 2 ** 31 - 1) return value;
      typeError(ctx, path, name, value, shape);
      return undefined;
    case 'stringMap': {
      if (value === null || value === undefined) return [];
      if (!isPlainObject(value)) {
        typeError(ctx, path, name, value, shape);
        return [];
      }
      const pairs: [string, string][] = [];
      for (const [k, v] of Object.entries(value)) {
        if (v === null || v === undefined) pairs.push([k, '']);
        else if (typeof v === 'string') pairs.push([k, v]);
        else if (v instanceof Date) pairs.push([k, dateText(v)]);
        else typeError(ctx, path, name, v, { kind: 'string', goType: 'string' }, k);
      }
      return pairs;
    }
    case 'list': {
      if (value === null || value === undefined) return [];
      if (!Array.isArray(value)) {
        typeError(ctx, path, name, value, shape);
        return [];
      }
      return value.map((item, i) => decodeValue(ctx, shape.of, item, index(path, i), name));
    }
    case 'bool':
      if (value === null || value === undefined) return false;
      if (typeof value === 'boolean') return value;
      typeError(ctx, path, name, value, shape);
      return false;
    case 'any':
      return value;
    case 'opaque':
      if (value !== null && value !== undefined && !isPlainObject(value)) typeError(ctx, path, name, value, shape);
      return {};
    case 'struct':
      return decodeStruct(ctx, shape, value, path, name);
  }
}

/** A struct's fields as entries, made once per shape (shapes are module constants). */
const fieldLists = new WeakMap<StructShape, [string, FieldSpec][]>();
function fieldsOf(shape: StructShape): [string, FieldSpec][] {
  let l = fieldLists.get(shape);
  if (!l) fieldLists.set(shape, (l = Object.entries(shape.fields)));
  return l;
}

function decodeStruct(ctx: Ctx, shape: StructShape, value: unknown, path: string, name: string): Obj {
  const out: Obj = {};
  const nulls: string[] = [];
  if (value !== null && value !== undefined && !isPlainObject(value)) {
    typeError(ctx, path, name, value, shape);
    value = {};
  }
  const given = (value ?? {}) as Obj;
  // The context is saved and restored around the fields rather than copied per struct (every
  // object of a 100k-object List passes here several times); `report` reads it as before.
  const outer = ctx.struct, outerLenient = ctx.lenient;
  ctx.struct = shape.name;
  for (const key in given) {
    if (!Object.hasOwn(given, key)) continue;
    const v = given[key];
    const p = child(path, key);
    if (!Object.hasOwn(shape.fields, key)) {
      const e: FieldError = { type: 'Unknown field', path: p, message: `unknown field "${p}"` };
      if (shape.obsolete && Object.hasOwn(shape.obsolete, key)) {
        // A field that no longer exists (in an old cluster's dump): dropped with a warning.
        e.severity = 'warning';
        e.hint = shape.obsolete[key];
        ctx.errors.push(e);
        continue;
      }
      const hint = (shape.hints && Object.hasOwn(shape.hints, key) ? shape.hints[key] : undefined) ?? didYouMean(key, Object.keys(shape.fields));
      if (hint) e.hint = hint;
      report(ctx, e);
      if (!ctx.lenient && !ctx.unknownIn.includes(path)) ctx.unknownIn.push(path);
      continue;
    }
    if (v === null) nulls.push(key);
    const spec = shape.fields[key]!;
    if (spec.lenient) ctx.lenient = true;
    out[key] = decodeValue(ctx, spec.shape, v, p, key);
    ctx.lenient = outerLenient;
  }
  // Absent fields get their zero value. Decoding `undefined` reports nothing at any depth, so
  // no path is built for them (a PodSpec alone has ~45 fields, most of them absent).
  for (const [key, spec] of fieldsOf(shape)) {
    if (spec.pointer && (given[key] === null || given[key] === undefined)) out[key] = undefined;
    else if (!(key in out)) out[key] = spec.shape.kind === 'any' ? undefined : decodeValue(ctx, spec.shape, undefined, '', key);
  }
  ctx.struct = outer;
  out.$null = nulls;
  return out;
}

export interface DecodeResult {
  /** The Go-side value; unknown fields dropped, mistyped fields at their zero value. */
  value: DNetworkPolicy;
  errors: FieldError[];
  /** Paths of the objects that held an unknown field ('' for the document root). */
  unknownIn: string[];
}

/** Decode a whole NetworkPolicy document. */
export function decodeNetworkPolicy(raw: unknown): DecodeResult {
  const r = decodeObject(networkPolicy, raw);
  return { ...r, value: r.value as unknown as DNetworkPolicy };
}

/** Decode a whole document of any kind described by `shape` (see schema-objects.ts). */
export function decodeObject(shape: StructShape, raw: unknown): { value: Obj; errors: FieldError[]; unknownIn: string[] } {
  const ctx: Ctx = { errors: [], unknownIn: [], struct: shape.name };
  const value = decodeStruct(ctx, shape, raw, '', '');
  return { value, errors: ctx.errors, unknownIn: ctx.unknownIn };
}
