import type { JsonObject } from '#catalog-model';
import { isDlfConnectionType, isValidConnectionName, type DlfConnection } from './dlf-connection.js';

function copyConnection(connection: DlfConnection): DlfConnection {
  return structuredClone(connection);
}

/**
 * The DLF connections of the simulator's project, per workspace, in memory. Tests and the
 * `/_sim/` control API edit it between exports; reads return copies so that a caller holding a
 * connection cannot change the catalog behind the simulator's back.
 */
export class DlfState {
  private readonly byWorkspace = new Map<string, Map<string, DlfConnection>>();
  private edits = 0;

  constructor(readonly defaultWorkspace: string) {
    this.addWorkspace(defaultWorkspace);
  }

  /** Bumped by every change, so that rendered exports can be cached until the next one. */
  get version(): number {
    return this.edits;
  }

  /** Connections per workspace, for `GET /_sim/estate`. */
  counts(): Record<string, number> {
    return Object.fromEntries([...this.byWorkspace].map(([workspace, connections]) => [workspace, connections.size]));
  }

  workspaces(): string[] {
    return [...this.byWorkspace.keys()];
  }

  hasWorkspace(workspace: string): boolean {
    return this.byWorkspace.has(workspace);
  }

  addWorkspace(workspace: string): void {
    if (this.byWorkspace.has(workspace)) return;
    this.byWorkspace.set(workspace, new Map());
    this.edits++;
  }

  /** Connections sorted by name (code-unit order), which is also their order in the export. */
  list(workspace = this.defaultWorkspace): DlfConnection[] {
    const connections = [...this.connectionsOf(workspace).values()].map(copyConnection);
    return connections.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  get(name: string, workspace = this.defaultWorkspace): DlfConnection | undefined {
    const connection = this.connectionsOf(workspace).get(name);
    return connection && copyConnection(connection);
  }

  /** Creates or replaces a connection; the workspace is created if needed. */
  upsert(connection: DlfConnection, workspace = this.defaultWorkspace): void {
    assertValidConnection(connection);
    this.addWorkspace(workspace);
    this.connectionsOf(workspace).set(connection.name, copyConnection(connection));
    this.edits++;
  }

  remove(name: string, workspace = this.defaultWorkspace): boolean {
    const removed = this.byWorkspace.get(workspace)?.delete(name) ?? false;
    if (removed) this.edits++;
    return removed;
  }

  private connectionsOf(workspace: string): Map<string, DlfConnection> {
    const connections = this.byWorkspace.get(workspace);
    if (!connections) throw new Error(`DlfState: unknown workspace ${workspace}`);
    return connections;
  }
}

export function assertValidConnection(value: unknown): asserts value is DlfConnection {
  const candidate = value as Partial<DlfConnection> | null;
  if (typeof candidate !== 'object' || candidate === null) throw new TypeError('a DLF connection must be an object');
  if (typeof candidate.name !== 'string' || !isValidConnectionName(candidate.name)) {
    throw new TypeError(`invalid DLF connection name: ${JSON.stringify(candidate.name)}`);
  }
  if (!isDlfConnectionType(candidate.type)) throw new TypeError(`invalid DLF connection type: ${JSON.stringify(candidate.type)}`);
  const config = candidate.config as JsonObject | undefined;
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new TypeError('config must be an object');
  if (typeof candidate.description !== 'string') throw new TypeError('description must be a string');
}
