// docs/openapi.yaml as a response validator: every response the suite receives is checked against
// the route's documented statuses, headers, content types and JSON schemas (with ajv).
//
//   const problems = validateResponse({ method: 'GET', pathname: '/api/schools/3', status: 200,
//                                       headers, json });   // [] when it conforms

import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import YAML from 'yaml';
import { repoRoot } from './server.mjs';

export const specPath = path.join(repoRoot, 'docs', 'openapi.yaml');
export const spec = YAML.parse(readFileSync(specPath, 'utf8'));

const kMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

// OpenAPI 3.0 schema -> JSON Schema for ajv: component refs point into one shared root schema,
// boolean exclusiveMinimum/Maximum become numeric.
function convert(node) {
  if (Array.isArray(node)) return node.map(convert);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/')) {
      out.$ref = `openapi#/$defs/${value.slice('#/components/schemas/'.length)}`;
    } else {
      out[key] = convert(value);
    }
  }
  if (out.exclusiveMinimum === true) {
    out.exclusiveMinimum = out.minimum;
    delete out.minimum;
  } else if (out.exclusiveMinimum === false) {
    delete out.exclusiveMinimum;
  }
  if (out.exclusiveMaximum === true) {
    out.exclusiveMaximum = out.maximum;
    delete out.maximum;
  } else if (out.exclusiveMaximum === false) {
    delete out.exclusiveMaximum;
  }
  return out;
}

const kDate = /^(\d{4})-(\d{2})-(\d{2})$/;
function isDate(text) {
  const m = kDate.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}
const kDateTime = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
function isDateTime(text) {
  const m = kDateTime.exec(text);
  return Boolean(m) && isDate(m[1]) && +m[2] < 24 && +m[3] < 60 && +m[4] < 61;
}

const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
ajv.addKeyword('example');
ajv.addFormat('date', isDate);
ajv.addFormat('date-time', isDateTime);
ajv.addFormat('int64', { type: 'number', validate: (n) => Number.isSafeInteger(n) });
ajv.addFormat('binary', true);
ajv.addSchema({ $id: 'openapi', $defs: convert(spec.components.schemas) });

function resolve(node) {
  let current = node;
  while (current && current.$ref) {
    const parts = current.$ref.replace(/^#\//, '').split('/');
    current = parts.reduce((acc, part) => acc[part.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
  }
  return current;
}

// The spec's paths as matchers, literal paths before templated ones
// (/api/attendances/aggregate/school/{id} must not be taken for /api/attendances/{id}).
const routes = Object.entries(spec.paths)
  .map(([template, item]) => ({
    template,
    item,
    regex: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    literalSegments: template.split('/').filter((s) => s && !s.startsWith('{')).length,
  }))
  .sort((a, b) => b.literalSegments - a.literalSegments);

export function findRoute(pathname) {
  return routes.find((r) => r.regex.test(pathname)) ?? null;
}

// Every route of the spec as "METHOD /path/{param}".
export function specRoutes() {
  const out = [];
  for (const [template, item] of Object.entries(spec.paths)) {
    for (const method of kMethods) {
      if (item[method]) out.push(`${method.toUpperCase()} ${template}`);
    }
  }
  return out.sort();
}

const validators = new Map();
function validatorFor(key, schema) {
  if (!validators.has(key)) validators.set(key, ajv.compile(convert(schema)));
  return validators.get(key);
}

function mediaType(contentType) {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

// Checks one response against the spec; returns a list of problems (empty when it conforms).
// headers: a fetch Headers object; json: the parsed body (undefined when not JSON); bodyLength in bytes.
export function validateResponse({ method, pathname, status, headers, json, bodyLength }) {
  const problems = [];
  const route = findRoute(pathname);
  let responseSpec;
  let where;
  const lower = method.toLowerCase();
  if (!route) {
    where = `unknown path ${pathname}`;
    if (status === 404) responseSpec = spec.components.responses.NotFound;
    else if (status === 401) responseSpec = spec.components.responses.Unauthorized;
    else if (status === 413) responseSpec = spec.components.responses.PayloadTooLarge;
    else problems.push(`${where}: status ${status}, expected 404 (or 401)`);
  } else if (!route.item[lower]) {
    where = `${method} ${route.template} (not a documented method)`;
    if (status === 405) {
      responseSpec = spec.components.responses.MethodNotAllowed;
    } else if (status === 401) {
      responseSpec = spec.components.responses.Unauthorized;
    } else if (status === 413) {
      responseSpec = spec.components.responses.PayloadTooLarge;
    } else {
      problems.push(`${where}: status ${status}, expected 405 (or 401)`);
    }
  } else {
    where = `${method} ${route.template}`;
    const documented = route.item[lower].responses;
    if (documented[String(status)]) responseSpec = resolve(documented[String(status)]);
    else problems.push(`${where}: status ${status} is not documented (documented: ${Object.keys(documented).join(', ')})`);
  }
  if (!responseSpec) return problems;

  for (const [name, header] of Object.entries(responseSpec.headers ?? {})) {
    const h = resolve(header);
    const value = headers.get(name);
    if (h.required && (value === null || value === '')) problems.push(`${where} ${status}: missing header ${name}`);
    if (value !== null && h.schema?.pattern && !new RegExp(h.schema.pattern).test(value)) {
      problems.push(`${where} ${status}: header ${name}: ${JSON.stringify(value)} does not match ${h.schema.pattern}`);
    }
  }

  const content = responseSpec.content;
  if (!content) {
    if (bodyLength > 0) problems.push(`${where} ${status}: expected no body, got ${bodyLength} bytes`);
    return problems;
  }
  const type = mediaType(headers.get('content-type'));
  if (!content[type]) {
    problems.push(`${where} ${status}: content-type ${JSON.stringify(headers.get('content-type'))}, documented: ${Object.keys(content).join(', ')}`);
    return problems;
  }
  if (type === 'application/json') {
    if (json === undefined) {
      problems.push(`${where} ${status}: body is not JSON`);
      return problems;
    }
    const validate = validatorFor(`${where} ${status}`, content[type].schema);
    if (!validate(json)) {
      for (const e of validate.errors) {
        problems.push(`${where} ${status}: body${e.instancePath} ${e.message}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`);
      }
    }
  }
  return problems;
}

// Validates a value against one of the spec's component schemas (e.g. the data of a stream event);
// returns a list of problems (empty when it conforms).
export function validateSchema(name, value) {
  if (!spec.components.schemas[name]) return [`no schema ${name} in docs/openapi.yaml`];
  const validate = validatorFor(`schema ${name}`, { $ref: `#/components/schemas/${name}` });
  if (validate(value)) return [];
  return validate.errors.map((e) => `${name}${e.instancePath} ${e.message}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`);
}
