import express, { Router, type Response } from 'express';
import { FaultConfigError, faultConfigSchema, injectFaultSchema, parseFaultConfig, parseWith, type FaultInjector, type FaultRule } from './faults.js';

function refuse(res: Response, error: unknown): void {
  if (error instanceof FaultConfigError || error instanceof TypeError || error instanceof RangeError) {
    return void res.status(400).json({ error: (error as Error).message });
  }
  throw error;
}

/**
 * `/_sim/faults`: the fault queue (`inject`), the standing rules (same format as the `--faults`
 * file) and the record of what fired. Mounted by the control router, so off unless `admin`.
 */
export function faultControlRouter(faults: FaultInjector): Router {
  const router = Router();
  const yamlOrText = express.text({ type: ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/plain'], limit: '1mb' });

  router.get('/', (_req, res) => {
    res.json({ faults: faults.list(), rules: faults.rules(), seed: faults.ruleSeed });
  });
  router.post('/', (req, res) => {
    try {
      const { fault, ...options } = parseWith(injectFaultSchema, req.body ?? {}, 'fault');
      faults.inject(fault, options);
    } catch (error) {
      return refuse(res, error);
    }
    res.status(204).end();
  });
  router.delete('/', (_req, res) => {
    faults.clear();
    res.status(204).end();
  });

  router.get('/rules', (_req, res) => {
    res.json({ seed: faults.ruleSeed, rules: faults.rules() });
  });
  router.post('/rules', (req, res) => {
    try {
      res.status(201).json(faults.addRule(req.body as FaultRule));
    } catch (error) {
      refuse(res, error);
    }
  });
  router.put('/rules', yamlOrText, (req, res) => {
    try {
      const config = typeof req.body === 'string' ? parseFaultConfig(req.body, 'fault config') : parseWith(faultConfigSchema, req.body, 'fault config');
      faults.configure(config);
    } catch (error) {
      return refuse(res, error);
    }
    res.json({ seed: faults.ruleSeed, rules: faults.rules() });
  });
  router.delete('/rules/:id', (req, res) => {
    if (!faults.removeRule(Number(req.params.id))) return void res.status(404).json({ error: 'no such rule' });
    res.status(204).end();
  });

  router.get('/history', (_req, res) => {
    res.json({ history: faults.history() });
  });
  return router;
}
