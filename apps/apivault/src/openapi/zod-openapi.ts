import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiDefaultResponse, ApiQuery } from '@nestjs/swagger';
import { z } from 'zod';

type JsonSchema = Record<string, unknown> & { properties?: Record<string, JsonSchema>; required?: string[] };

/**
 * Requests are validated with zod (one schema, clear messages naming the field), so the OpenAPI
 * document is generated from the same schemas instead of restating them in decorators: the
 * description cannot drift from what the API accepts.
 */
export function openApiSchema(schema: z.ZodType): JsonSchema {
  // "input": what a client sends (before defaults and transforms apply).
  const json = z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }) as JsonSchema;
  delete json.$schema;
  return json;
}

/** Documents a JSON body validated by `schema`. */
export function ApiZodBody(schema: z.ZodType, description?: string): MethodDecorator {
  return ApiBody({ schema: openApiSchema(schema) as never, description, required: true });
}

/** Documents every query parameter of an object schema validated by `parseQuery`. */
export function ApiZodQuery(schema: z.ZodObject): MethodDecorator {
  const json = openApiSchema(schema);
  const required = new Set(json.required ?? []);
  const decorators = Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...propertySchema } = property as JsonSchema & { description?: string };
    return ApiQuery({ name, required: required.has(name), schema: propertySchema as never, description });
  });
  return applyDecorators(...decorators);
}

/** Every error leaves the API in this shape (see ErrorFilter). */
export const errorBodySchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'details'],
      properties: {
        code: { type: 'string', example: 'VALIDATION_FAILED' },
        message: { type: 'string' },
        details: { type: 'object', additionalProperties: true },
      },
    },
  },
};

/** Class decorator: the error body for every status a route does not describe itself. */
export function ApiErrorBody(): ClassDecorator {
  return ApiDefaultResponse({ description: 'an error: `{ error: { code, message, details } }`', schema: errorBodySchema as never });
}
