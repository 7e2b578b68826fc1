import { z } from 'zod';
import { ValidationError } from './app-errors.js';

/** Parses query parameters with a zod schema; a bad one is a 400 that names the field. */
export function parseQuery<T extends z.ZodType>(schema: T, query: unknown): z.infer<T> {
  const result = schema.safeParse(query ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.join('.') || 'query';
  throw new ValidationError(`query parameter ${field}: ${issue?.message ?? 'invalid'}`, { field });
}

export const pageLimit = z.coerce.number().int().min(1).max(500).default(50);
