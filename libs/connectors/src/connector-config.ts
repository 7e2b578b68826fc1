import type { z } from 'zod';
import { ConfigError } from './errors.js';

/**
 * Validates a source's configuration against a connector's schema. The ConfigError names every
 * bad field by its path ("limits.maxEntries"), so an operator can fix the source in one go.
 */
export function parseConnectorConfig<Schema extends z.ZodType>(kind: string, schema: Schema, raw: unknown): z.output<Schema> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const field = issue.path.map(String).join('.');
    return field ? `${field}: ${issue.message}` : issue.message;
  });
  throw new ConfigError(`${kind} configuration is invalid: ${problems.join('; ')}`);
}
