/** Injection tokens for the objects the app builds from its settings (not Nest classes). */
export const APP_SETTINGS = Symbol('APP_SETTINGS');
export const LOGGER = Symbol('LOGGER');
export const DATABASE = Symbol('DATABASE');
export const ARCHIVE_STORE = Symbol('ARCHIVE_STORE');
export const CONNECTOR_REGISTRY = Symbol('CONNECTOR_REGISTRY');
export const SECRET_BOX = Symbol('SECRET_BOX');
/** The loaded master key (MasterKey): seals credentials (SECRET_BOX) and wraps archive data keys. */
export const MASTER_KEY = Symbol('MASTER_KEY');
/** True in the daemon only: schedules (sources, snapshots) and the run dispatcher start; never in the CLI. */
export const RUN_SCHEDULES = Symbol('RUN_SCHEDULES');
/** The run engine's settings (RunEngineSettings): AppSettings.runs, or the defaults. */
export const RUN_ENGINE_SETTINGS = Symbol('RUN_ENGINE_SETTINGS');
