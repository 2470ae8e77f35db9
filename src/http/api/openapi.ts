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

/**
 * One route in the form @fastify/swagger reads (a Fastify schema whose parts are
 * JSON Schema): named zod schemas by $ref, scopes as security, the error answers
 * every authenticated or validated route can give, request headers, response headers.
 */
export function swaggerSchemaOf(r: Route): Json {
  const querystring = r.query ? schemaOf(r.query, 'input') : undefined;
  const headers = r.requestHeaders?.length
    ? {
        type: 'object',
        properties: Object.fromEntries(r.requestHeaders.map((h) => [h.name, { type: 'string', description: h.description }])),
        required: r.requestHeaders.filter((h) => h.required).map((h) => h.name),
      }
    : undefined;
  const all: Route['responses'] = { ...r.responses };
  if (r.scope) {
    all[401] ??= { description: 'AUTH.TOKEN_REQUIRED, AUTH.TOKEN_INVALID or AUTH.TOKEN_REVOKED', schema: ApiErrorBody };
    all[403] ??= { description: `AUTH.SCOPE_MISSING (needs ${r.scope})`, schema: ApiErrorBody };
  }
  if (r.body || r.query) all[400] ??= { description: 'API.INVALID_REQUEST', schema: ApiErrorBody };
  if (r.body) all[413] = { description: 'API.BODY_TOO_LARGE: over API_MAX_BODY_BYTES', schema: ApiErrorBody };
  all[429] = { description: 'API.RATE_LIMITED: over the per-token or per-address budget; see Retry-After', schema: ApiErrorBody, headers: { 'Retry-After': 'Seconds until the budget refills' } };
  const response: Json = {};
  for (const [status, spec] of Object.entries(all).sort(([a], [b]) => Number(a) - Number(b))) {
    response[status] = {
      description: spec.description,
      ...(spec.headers ? { headers: Object.fromEntries(Object.entries(spec.headers).map(([k, d]) => [k, { type: 'string', description: d }])) } : {}),
      ...(spec.schema ? { content: { 'application/json': { schema: schemaOf(spec.schema, 'output') } } } : { type: 'null' }),
    };
  }
  return {
    operationId: r.operationId,
    summary: r.summary,
    ...(r.description ? { description: r.description } : {}),
    security: r.scope ? [{ bearer: [r.scope] }] : [],
    ...(r.scope ? { 'x-required-scope': r.scope } : {}),
    ...(querystring ? { querystring } : {}),
    ...(headers ? { headers } : {}),
    ...(r.body ? { body: schemaOf(r.body, 'input') } : {}),
    response,
  };
}

/** The document's head; @fastify/swagger fills in the paths. */
export const OPENAPI_INFO = {
  openapi: '3.1.0',
  info: {
    title: 'paydesk ERP API',
    version: '1.0.0',
    description: 'Create and follow payment requests from an ERP. Every request made with a token is attributed to it on the audit trail (actor api:<token name>).',
  },
  servers: [{ url: '/' }],
  security: [{ bearer: [] }],
  components: {
    securitySchemes: { bearer: { type: 'http' as const, scheme: 'bearer', description: 'An API token (pd_…) created with `npx tsx src/cli/api-token.ts create`.' } },
  },
};

/**
 * What @fastify/swagger cannot know: the named schemas (components, generated
 * from the same zod registry) and bodies that may be left out.
 */
export function finishOpenApi(doc: Json, routes: readonly Route[]): Json {
  const paths = doc.paths as Record<string, Record<string, { requestBody?: { required: boolean } }>>;
  for (const r of routes) {
    const op = paths[API_BASE + r.path]?.[r.method.toLowerCase()];
    if (op?.requestBody && r.bodyOptional) op.requestBody.required = false;
  }
  return { ...doc, components: { ...(doc.components as Json), schemas: components() } };
}
