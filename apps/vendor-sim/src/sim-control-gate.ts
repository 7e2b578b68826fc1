import type { RequestHandler } from 'express';

/**
 * What `/_sim/` answers when the control API is off (the default): 404, like any path the
 * vendors do not have, with a hint for the developer who forgot `--admin` / `admin: true`.
 * The control API is unauthenticated, so it must be asked for, never on by accident.
 */
export function simControlDisabled(): RequestHandler {
  return (_req, res) => {
    res.status(404).json({ error: 'the /_sim/ control API is off: start vendor-sim with --admin (or the admin: true option)' });
  };
}
