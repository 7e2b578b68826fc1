import { ConnectorError, type FailureDetails } from '#connectors';

/** What a run records as its `error` (and each failed part as its `failure`). */
export type RunFailure = FailureDetails | { stage: 'archive' | 'engine'; code: string; message: string };

/** A wrapper nests the vendor's failure a level or two down at most; deeper is a loop or noise. */
const MAX_CAUSE_DEPTH = 8;

/**
 * Turns whatever a run threw into the `error` recorded on it: stage and code, and for a failed
 * vendor call the call, the HTTP status and the vendor's own error code (`{ call: "POST
 * /?Action=ListDataServiceApis", status: 429, vendorCode: "Throttling.User", message }`). Fields
 * that do not apply are left out, not written as null. When something else wraps a connector
 * failure, the connector failure is what is reported: it names the call.
 */
export function describeRunFailure(error: unknown): RunFailure {
  const connectorFailure = connectorErrorIn(error);
  if (connectorFailure) return connectorFailure.toDetails();
  const err = error as (Error & { code?: unknown }) | null | undefined;
  const name = err?.name ?? '';
  if (/^Archive/.test(name)) return { stage: 'archive', code: typeof err?.code === 'string' ? err.code : name, message: err?.message ?? String(error) };
  return { stage: 'engine', code: 'INTERNAL', message: err?.message ?? String(error) };
}

function connectorErrorIn(error: unknown): ConnectorError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && current; depth++) {
    if (current instanceof ConnectorError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
