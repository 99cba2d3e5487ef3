// Checks HTTP requests and responses against an OpenAPI 3.0 description, so a stand-in API answers
// only what the real API documents and a client's wrong path, verb, parameter or body is caught.
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction, type ErrorObject } from 'ajv';

/** The parts of an OpenAPI 3.0 document this validator reads; everything else is carried along untyped. */
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  components?: Record<string, unknown>;
  [key: string]: unknown;
}

/** An operation found for a request: the documented path template and its operationId. */
export interface MatchedOperation {
  method: string;
  template: string;
  operationId: string;
  /** Path parameters taken from the request path, URL-decoded. */
  pathParams: Record<string, string>;
  /** JSON pointer of the operation object inside the document. */
  pointer: string;
}

/** Why a request found no operation: no documented path, or the path exists without this verb. */
export type MatchFailure = { reason: 'no-path' } | { reason: 'no-method'; allowed: string[] };

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

const documents = new Map<string, OpenApiDocument>();

/**
 * Reads an OpenAPI document once per process and rewrites OpenAPI 3.0 `nullable` into JSON Schema
 * (`type: [t, 'null']`, or `anyOf` when there is no `type`), because ajv refuses `nullable` without
 * `type` and does not add `null` to an `enum` — both common in GitHub's description.
 */
export function loadOpenApiDocument(file: string): OpenApiDocument {
  const cached = documents.get(file);
  if (cached) return cached;
  const doc = JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument;
  if (typeof doc.openapi !== 'string' || !doc.openapi.startsWith('3.0')) {
    throw new Error(`${file} is not an OpenAPI 3.0 document (openapi: ${String(doc.openapi)})`);
  }
  normaliseNullable(doc);
  inlineMapRefs(doc, doc);
  documents.set(file, doc);
  return doc;
}

function normaliseNullable(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) normaliseNullable(item);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const obj = node as Record<string, unknown>;
  for (const key of Object.keys(obj)) normaliseNullable(obj[key]);
  if (obj.nullable !== true) return;
  delete obj.nullable;
  if (typeof obj.type === 'string') {
    obj.type = [obj.type, 'null'];
    if (Array.isArray(obj.enum) && !obj.enum.includes(null)) obj.enum = [...obj.enum, null];
    return;
  }
  // No type: the schema is a composition or a bare $ref; null must be allowed beside it as a whole.
  const rest: Record<string, unknown> = {};
  for (const key of Object.keys(obj)) {
    if (key === 'description') continue;
    rest[key] = obj[key];
    delete obj[key];
  }
  obj.anyOf = [rest, { type: 'null' }];
}

const MAP_KEYWORDS = new Set(['properties', 'patternProperties', 'definitions', '$defs']);

/**
 * DigitalOcean's bundled description writes `properties: { $ref: ... }` (a reference to another
 * schema's whole properties map). JSON Schema reads that as one property named `$ref`, which would
 * silently validate nothing, so the referenced map is put in place.
 */
function inlineMapRefs(node: unknown, doc: OpenApiDocument, depth = 0): void {
  if (!node || typeof node !== 'object' || depth > 200) return;
  if (Array.isArray(node)) {
    for (const item of node) inlineMapRefs(item, doc, depth + 1);
    return;
  }
  const obj = node as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    let value = obj[key];
    if (MAP_KEYWORDS.has(key)) {
      for (let hops = 0; hops < 10 && isRefOnly(value); hops++) value = resolveDocPointer(doc, (value as { $ref: string }).$ref.slice(1));
      obj[key] = value;
    }
    inlineMapRefs(value, doc, depth + 1);
  }
}

function isRefOnly(value: unknown): boolean {
  if (!value || typeof value !== 'object') return false;
  const keys = Object.keys(value);
  const ref = (value as { $ref?: unknown }).$ref;
  return keys.length === 1 && typeof ref === 'string' && ref.startsWith('#');
}

function resolveDocPointer(doc: OpenApiDocument, pointer: string): unknown {
  let node: unknown = doc;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = node && typeof node === 'object' ? (node as Record<string, unknown>)[seg] : undefined;
  }
  if (node === undefined) throw new Error(`JSON pointer #${pointer} does not resolve`);
  return node;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

function isUri(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

function createAjv(docId: string, doc: OpenApiDocument, coerce: boolean): Ajv {
  const ajv = new Ajv({
    strict: false,
    logger: false,
    allErrors: false,
    coerceTypes: coerce ? 'array' : false,
    // Formats we can check cheaply are checked; the vendor-specific ones (int64, uri-template, cidr) pass.
    formats: {
      'date-time': DATE_TIME,
      date: DATE,
      uuid: UUID,
      email: EMAIL,
      uri: isUri
    }
  });
  for (const name of ['int32', 'int64', 'uint32', 'uint64', 'float', 'double', 'uri-template', 'repo.nwo', 'binary',
    'timestamp', 'hostname', 'ipv4', 'ipv6', 'cidr', 'byte', 'string', 'url', 'password']) {
    ajv.addFormat(name, true);
  }
  // The document is not itself a schema: add it without meta-validation; operations compile lazily.
  ajv.addSchema(doc as object, docId, undefined, false);
  return ajv;
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

interface CompiledPath {
  template: string;
  regex: RegExp;
  names: string[];
  literalSegments: number;
}

/** Validates requests and responses for one OpenAPI document; compiled schemas are cached per operation. */
export class OpenApiValidator {
  private readonly paths: CompiledPath[];
  private readonly ajvBody: Ajv;
  private readonly ajvParams: Ajv;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(private readonly doc: OpenApiDocument, private readonly docId = 'api') {
    this.ajvBody = createAjv(docId, doc, false);
    this.ajvParams = createAjv(docId, doc, true);
    this.paths = Object.keys(doc.paths).map((template) => {
      const names: string[] = [];
      const source = template
        .split('/')
        .map((seg) =>
          seg.replace(/\{([^}]+)\}|[^{]+/g, (m, name: string | undefined) => {
            if (name) {
              names.push(name);
              return '([^/]+)';
            }
            return m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          })
        )
        .join('/');
      const literalSegments = template.split('/').filter((s) => s && !s.includes('{')).length;
      return { template, regex: new RegExp(`^${source}$`), names, literalSegments };
    });
    // A literal segment beats a parameter (`/issues/comments` before `/issues/{issue_number}`).
    this.paths.sort((a, b) => b.literalSegments - a.literalSegments);
  }

  /** Finds the documented operation for a method and a path (no query string). */
  matchOperation(method: string, pathname: string): MatchedOperation | MatchFailure {
    const verb = method.toLowerCase();
    const allowed = new Set<string>();
    for (const p of this.paths) {
      const m = p.regex.exec(pathname);
      if (!m) continue;
      const item = this.doc.paths[p.template];
      const op = item[verb] as { operationId?: string } | undefined;
      if (!op) {
        for (const k of Object.keys(item)) if (METHODS.includes(k)) allowed.add(k.toUpperCase());
        continue;
      }
      const pathParams: Record<string, string> = {};
      p.names.forEach((name, i) => {
        pathParams[name] = decodeURIComponent(m[i + 1]);
      });
      return {
        method: verb.toUpperCase(),
        template: p.template,
        operationId: op.operationId ?? `${verb} ${p.template}`,
        pathParams,
        pointer: `/paths/${escapePointer(p.template)}/${verb}`
      };
    }
    return allowed.size ? { reason: 'no-method', allowed: [...allowed] } : { reason: 'no-path' };
  }

  /**
   * Checks path and query parameters and the JSON body of a request. Returns problems as sentences;
   * an empty list means the request is what the API documents.
   */
  validateRequest(op: MatchedOperation, req: { query: URLSearchParams; body: unknown; hasBody: boolean }): string[] {
    const problems: string[] = [];
    const operation = this.resolvePointer(op.pointer) as Record<string, unknown>;
    const itemPointer = op.pointer.slice(0, op.pointer.lastIndexOf('/'));
    const item = this.resolvePointer(itemPointer) as Record<string, unknown>;
    const params = [
      ...this.resolveParams(item.parameters, `${itemPointer}/parameters`),
      ...this.resolveParams(operation.parameters, `${op.pointer}/parameters`)
    ];
    for (const where of ['path', 'query'] as const) {
      const declared = params.filter((p) => p.param.in === where);
      const values: Record<string, unknown> = {};
      if (where === 'path') Object.assign(values, op.pathParams);
      else {
        for (const key of new Set(req.query.keys())) {
          const all = req.query.getAll(key);
          values[key] = all.length > 1 ? all : all[0];
        }
        const known = new Set(declared.map((p) => p.param.name));
        for (const key of Object.keys(values)) {
          if (!known.has(key)) problems.push(`query parameter '${key}' is not documented for ${op.method} ${op.template}`);
        }
      }
      for (const { param, pointer } of declared) {
        const value = values[param.name];
        if (value === undefined) {
          if (param.required) problems.push(`${where} parameter '${param.name}' is required`);
          continue;
        }
        if (!param.schema) continue;
        const validate = this.compile(this.ajvParams, `${pointer}/schema`, true);
        if (!validate({ v: value })) problems.push(`${where} parameter '${param.name}' ${formatErrors(validate.errors, '')}`);
      }
    }
    const body = operation.requestBody ? this.resolveRef(operation.requestBody, `${op.pointer}/requestBody`) : undefined;
    if (!body) {
      if (req.hasBody) problems.push(`${op.method} ${op.template} takes no request body`);
      return problems;
    }
    const bodyObj = body.value as { required?: boolean; content?: Record<string, { schema?: unknown }> };
    if (!req.hasBody) {
      if (bodyObj.required) problems.push('a JSON request body is required');
      return problems;
    }
    const json = bodyObj.content?.['application/json'];
    if (!json?.schema) {
      problems.push(`the request body must be one of ${Object.keys(bodyObj.content ?? {}).join(', ')}, not JSON`);
      return problems;
    }
    const validate = this.compile(this.ajvBody, `${body.pointer}/content/application~1json/schema`);
    if (!validate(req.body)) problems.push(`request body ${formatErrors(validate.errors)}`);
    return problems;
  }

  /**
   * Checks a response about to be sent: its status must be documented (unless `allowUndocumented`,
   * for generic answers like 401 that GitHub gives everywhere but documents rarely) and its JSON body
   * must match the documented schema.
   */
  validateResponse(op: MatchedOperation, status: number, body: unknown, opts: { allowUndocumented?: boolean } = {}): string[] {
    const operation = this.resolvePointer(op.pointer) as { responses?: Record<string, unknown> };
    const responses = operation.responses ?? {};
    const key = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => k in responses);
    if (!key) {
      return opts.allowUndocumented ? [] : [`status ${status} is not documented for ${op.method} ${op.template}`];
    }
    const resolved = this.resolveRef(responses[key], `${op.pointer}/responses/${key}`);
    const response = resolved.value as { content?: Record<string, { schema?: unknown }> };
    const json = response.content?.['application/json'];
    if (!json) {
      if (body !== undefined) return [`status ${status} of ${op.method} ${op.template} has no documented body, but one was sent`];
      return [];
    }
    if (!json.schema) return [];
    if (body === undefined) return [`status ${status} of ${op.method} ${op.template} must have a JSON body`];
    const validate = this.compile(this.ajvBody, `${resolved.pointer}/content/application~1json/schema`);
    return validate(body) ? [] : [`response ${status} body ${formatErrors(validate.errors)}`];
  }

  private compile(ajv: Ajv, pointer: string, wrapped = false): ValidateFunction {
    const cacheKey = `${ajv === this.ajvParams ? 'p' : 'b'}${wrapped ? 'w' : ''}${pointer}`;
    let fn = this.cache.get(cacheKey);
    if (!fn) {
      const ref = { $ref: `${this.docId}#${pointer}` };
      // Coercion needs a parent object to write the coerced value into; the wrapper gives it one.
      fn = ajv.compile(wrapped ? { type: 'object', properties: { v: ref } } : ref);
      this.cache.set(cacheKey, fn);
    }
    return fn;
  }

  private resolveParams(list: unknown, pointer: string): Array<{ param: { name: string; in: string; required?: boolean; schema?: unknown }; pointer: string }> {
    if (!Array.isArray(list)) return [];
    return list.map((entry, i) => {
      const r = this.resolveRef(entry, `${pointer}/${i}`);
      return { param: r.value as { name: string; in: string; required?: boolean; schema?: unknown }, pointer: r.pointer };
    });
  }

  /** Follows `$ref`s of non-schema objects (parameters, responses, bodies), keeping the final pointer. */
  private resolveRef(value: unknown, pointer: string): { value: Record<string, unknown>; pointer: string } {
    let current = value as Record<string, unknown>;
    let at = pointer;
    for (let hops = 0; hops < 20 && current && typeof current.$ref === 'string'; hops++) {
      const ref = current.$ref as string;
      if (!ref.startsWith('#')) throw new Error(`external $ref ${ref} is not supported`);
      at = ref.slice(1);
      current = this.resolvePointer(at) as Record<string, unknown>;
    }
    return { value: current, pointer: at };
  }

  private resolvePointer(pointer: string): unknown {
    let node: unknown = this.doc;
    for (const raw of pointer.split('/').slice(1)) {
      const seg = unescapePointer(decodeURIComponent(raw));
      if (!node || typeof node !== 'object') throw new Error(`JSON pointer ${pointer} does not resolve`);
      node = (node as Record<string, unknown>)[seg];
    }
    if (node === undefined) throw new Error(`JSON pointer ${pointer} does not resolve`);
    return node;
  }
}

function formatErrors(errors: ErrorObject[] | null | undefined, rootLabel = '(root) '): string {
  if (!errors?.length) return 'is invalid';
  return errors
    .slice(0, 3)
    .map((e) => `${pathLabel(e.instancePath.replace(/^\/v(?=\/|$)/, ''), rootLabel)}${e.message ?? 'is invalid'}${e.params && 'allowedValues' in e.params ? ` (${JSON.stringify(e.params.allowedValues)})` : ''}`)
    .join('; ');
}

function pathLabel(path: string, rootLabel: string): string {
  return path ? `${path} ` : rootLabel;
}
