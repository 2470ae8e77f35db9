import { z } from 'zod';
import { API_BASE, Route } from './api-route';
import { ApiErrorBody, apiRegistry } from './api.schemas';

type Json = Record<string, unknown>;
const REF = (id: string) => `#/components/schemas/${id}`;

/** A schema as OpenAPI 3.1 (JSON Schema 2020-12) wants it: named ones by $ref, the rest inline. */
function schemaOf(s: z.ZodType, io: 'input' | 'output'): Json {
  const meta = apiRegistry.get(s);
  if (meta) return { $ref: REF(meta.id) };
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Json;
  return rest;
}

function components(): Json {
  const { schemas } = z.toJSONSchema(apiRegistry, { uri: REF, unrepresentable: 'any' }) as { schemas: Record<string, Json> };
  return Object.fromEntries(Object.entries(schemas).map(([id, { $schema: _s, $id: _i, ...rest }]) => [id, rest]));
}

function operation(r: Route): Json {
  const parameters: Json[] = [];
  for (const m of r.path.matchAll(/\{(\w+)\}/g)) parameters.push({ name: m[1], in: 'path', required: true, schema: { type: 'string' } });
  if (r.query) {
    for (const [name, s] of Object.entries(r.query.shape as Record<string, z.ZodType>)) {
      const schema = schemaOf(s, 'input');
      const { description, ...rest } = schema as { description?: string };
      parameters.push({ name, in: 'query', required: !s.safeParse(undefined).success, schema: rest, ...(description ? { description } : {}) });
    }
  }
  for (const h of r.requestHeaders ?? []) parameters.push({ name: h.name, in: 'header', required: h.required, description: h.description, schema: { type: 'string' } });

  const responses: Json = {};
  const all = {
    ...r.responses,
    ...(r.scope
      ? {
          401: r.responses[401] ?? { description: 'AUTH.TOKEN_REQUIRED, AUTH.TOKEN_INVALID or AUTH.TOKEN_REVOKED', schema: ApiErrorBody },
          403: r.responses[403] ?? { description: `AUTH.SCOPE_MISSING (needs ${r.scope})`, schema: ApiErrorBody },
        }
      : {}),
    ...(r.body || r.query ? { 400: r.responses[400] ?? { description: 'API.INVALID_REQUEST', schema: ApiErrorBody } } : {}),
  };
  for (const [status, spec] of Object.entries(all).sort(([a], [b]) => Number(a) - Number(b))) {
    responses[status] = {
      description: spec.description,
      ...(spec.headers ? { headers: Object.fromEntries(Object.entries(spec.headers).map(([k, d]) => [k, { description: d, schema: { type: 'string' } }])) } : {}),
      ...(spec.schema ? { content: { 'application/json': { schema: schemaOf(spec.schema, 'output') } } } : {}),
    };
  }
  return {
    operationId: r.operationId,
    summary: r.summary,
    ...(r.description ? { description: r.description } : {}),
    ...(r.scope ? { security: [{ bearer: [r.scope] }], 'x-required-scope': r.scope } : { security: [] }),
    ...(parameters.length ? { parameters } : {}),
    ...(r.body ? { requestBody: { required: !r.bodyOptional, content: { 'application/json': { schema: schemaOf(r.body, 'input') } } } } : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document, generated from the route table and its zod schemas. */
export function buildOpenApi(routes: readonly Route[]): Json {
  const paths: Record<string, Json> = {};
  for (const r of routes) (paths[API_BASE + r.path] ??= {})[r.method.toLowerCase()] = operation(r);
  return {
    openapi: '3.1.0',
    info: {
      title: 'paydesk ERP API',
      version: '1.0.0',
      description: 'Create and follow payment requests from an ERP. Every request made with a token is attributed to it on the audit trail (actor api:<token name>).',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    paths,
    components: {
      schemas: components(),
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API token (pd_…) created with `npx tsx src/cli/api-token.ts create`.' } },
    },
  };
}
