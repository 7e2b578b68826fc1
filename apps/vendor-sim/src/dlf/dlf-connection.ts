import type { JsonObject } from '#catalog-model';

/** Connection types of the DLF connection API (VENDORS.md section 4). */
export const DLF_CONNECTION_TYPES = ['DWS', 'DLI', 'SparkSQL', 'HIVE', 'RDS', 'CloudTable', 'HOST'] as const;
export type DlfConnectionType = (typeof DLF_CONNECTION_TYPES)[number];

/** One `.conn` file of the export, in our decided layout `{name, type, config, description}`. */
export interface DlfConnection {
  name: string;
  type: DlfConnectionType;
  config: JsonObject;
  description: string;
}

/** What DLF writes instead of a password it does not reveal. */
export const MASKED_PASSWORD = '*********';

/** Every clear password the simulator plants starts with this, so leaks are easy to grep for. */
export const PLANTED_SECRET_PREFIX = 'SIMSECRET-';

/**
 * Names become zip entry names (`connections/{name}.conn`): anything that could escape that
 * folder is refused here, so only the fault injector can produce hostile entries.
 */
export function isValidConnectionName(name: string): boolean {
  return name.length >= 1 && name.length <= 100 && !/[/\\\u0000]/.test(name) && name !== '.' && name !== '..';
}

export function isDlfConnectionType(value: unknown): value is DlfConnectionType {
  return typeof value === 'string' && (DLF_CONNECTION_TYPES as readonly string[]).includes(value);
}
