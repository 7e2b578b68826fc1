/**
 * The admin API's roles, each including the one before: a viewer reads the catalog and runs; an
 * operator also triggers and cancels runs, downloads raw artifacts and applies held runs; an
 * admin also manages sources, credentials and tokens, and reads the audit log.
 */
export const ROLES = ['viewer', 'operator', 'admin'] as const;

export type Role = (typeof ROLES)[number];

export function roleAllows(granted: Role, required: Role): boolean {
  return ROLES.indexOf(granted) >= ROLES.indexOf(required);
}
