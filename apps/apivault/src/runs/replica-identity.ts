import { randomBytes } from 'node:crypto';
import os from 'node:os';

/**
 * This process's name in run leases: host, pid and a random part (a restarted process with a
 * recycled pid is not its predecessor). Shown on running runs, so an operator knows where.
 */
export class ReplicaIdentity {
  readonly id = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}
