import { randomBytes } from 'node:crypto';
import type { IamUser } from './iam-state.js';

/** The region name IAM tokens of the simulator's project may be scoped by (`scope.project.name`). */
export const DEFAULT_PROJECT_NAME = 'cn-north-4';

/** The demo user when none is configured: fixed names, a random password, printed at start like the AK/SK. */
export function randomIamUser(): IamUser {
  return { domainName: 'simdomain', userName: 'simuser', password: `SIMPW-${randomBytes(18).toString('base64url')}` };
}
