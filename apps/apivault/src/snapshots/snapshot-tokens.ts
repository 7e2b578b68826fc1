/** Injection tokens of the snapshot module (objects built from settings, not Nest classes). */
export const SNAPSHOT_SIGNING_KEY = Symbol('SNAPSHOT_SIGNING_KEY');
export const SNAPSHOT_SETTINGS = Symbol('SNAPSHOT_SETTINGS');
/** True in the daemon only: the CLI and tests never start snapshot or verification timers. */
export const RUN_SCHEDULES = Symbol('RUN_SCHEDULES');
