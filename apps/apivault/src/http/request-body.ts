import { z } from 'zod';
import { ValidationError } from './app-errors.js';

/**
 * Parses a JSON request body with a zod schema; a bad one is a 400 that names the field (never
 * its value: a body may carry a secret). Every problem is listed in `details.problems`.
 */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => ({ field: issue.path.map(String).join('.') || 'body', message: issue.message }));
  const first = problems[0]!;
  throw new ValidationError(`body field ${first.field}: ${first.message}`, { field: first.field, problems });
}
