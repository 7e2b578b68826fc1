import { ConnectorError, type FailureDetails } from '#connectors';

/** Turns whatever a run threw into the `error` recorded on it: stage, code, call, status, reason. */
export function describeRunFailure(error: unknown): FailureDetails | { stage: 'archive' | 'engine'; code: string; message: string } {
  if (error instanceof ConnectorError) return error.toDetails();
  const err = error as Error & { code?: unknown };
  const name = err?.name ?? '';
  if (/^Archive/.test(name)) return { stage: 'archive', code: typeof err.code === 'string' ? err.code : name, message: err.message };
  return { stage: 'engine', code: 'INTERNAL', message: err?.message ?? String(error) };
}
