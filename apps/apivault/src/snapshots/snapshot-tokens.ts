/** Injection tokens of the snapshot module (objects built from settings, not Nest classes). */
export const SNAPSHOT_SIGNING_KEY = Symbol('SNAPSHOT_SIGNING_KEY');
export const SNAPSHOT_SETTINGS = Symbol('SNAPSHOT_SETTINGS');
export { RUN_SCHEDULES } from '../core/tokens.js';
