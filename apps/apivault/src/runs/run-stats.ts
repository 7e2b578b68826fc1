/** What a run reports about itself while it runs and when it ends (the `stats` of a run). */
export interface RunStats {
  callsDone: number;
  callsPlanned: number | null;
  artifacts: number;
  artifactsNew: number;
  bytes: number;
  itemsParsed: number;
  duplicateEntries: number;
  added: number;
  modified: number;
  removed: number;
  restored: number;
  unchanged: number;
  versionsWritten: number;
  durationMs: number;
}

export function emptyRunStats(): RunStats {
  return {
    callsDone: 0,
    callsPlanned: null,
    artifacts: 0,
    artifactsNew: 0,
    bytes: 0,
    itemsParsed: 0,
    duplicateEntries: 0,
    added: 0,
    modified: 0,
    removed: 0,
    restored: 0,
    unchanged: 0,
    versionsWritten: 0,
    durationMs: 0,
  };
}
