import { Router } from 'express';
import type { IamState } from './iam-state.js';

/**
 * `/_sim/iam/...`: IAM users (passwords shown: this is the simulator's own control API) and the
 * tokens it issued. Mounted by sim-control-routes.ts, which parses JSON bodies.
 */
export function iamControlRouter(iam: IamState): Router {
  const router = Router();

  router.get('/', (_req, res) => {
    res.json({ users: iam.users(), tokenValiditySeconds: iam.tokenValiditySeconds, issuedTokens: iam.issuedCount });
  });
  router.post('/users', (req, res) => {
    try {
      iam.addUser(req.body as Parameters<IamState['addUser']>[0]);
    } catch (error) {
      return void res.status(400).json({ error: (error as Error).message });
    }
    res.status(204).end();
  });
  /** Lifetime of the tokens issued from now on, in seconds (fractions allowed). */
  router.put('/token-validity', (req, res) => {
    const seconds = (req.body as { seconds?: unknown } | undefined)?.seconds;
    if (typeof seconds !== 'number' || !(seconds > 0)) return void res.status(400).json({ error: 'seconds must be a positive number' });
    iam.tokenValiditySeconds = seconds;
    res.status(204).end();
  });
  /** Revokes every issued token, as a password change does: the next call with one gets 401. */
  router.delete('/tokens', (_req, res) => {
    res.json({ revoked: iam.revokeAll() });
  });
  return router;
}
