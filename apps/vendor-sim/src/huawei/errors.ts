import { randomUUID } from 'node:crypto';
import type { Response } from 'express';

/**
 * Huawei Cloud error bodies: `{"error_code", "error_msg"}` plus the `request_id` real gateways
 * add (also sent as `X-Request-Id`). Codes used by the simulator, and why:
 * - APIG.0301 (401): what the API gateway in front of every Huawei service answers when IAM
 *   authentication fails, for AK/SK and token alike (APIG FAQ "Common Errors Related to IAM
 *   Authentication Information"; public endpoints show it as APIGW.0301 too, so clients must key
 *   on the HTTP status, not the exact code).
 * - APIG.0101 (404): the gateway's "API does not exist" for paths it cannot route, used also for
 *   a project id that is not the simulator's (our decision).
 * - APIG.9999 (500): gateway system error (listed in VENDORS.md).
 * - DLF.6322 (400): "The data connection does not exist." (DLF API reference, export failure).
 * - DLS.1000 (400): unknown workspace. The message "Workspace does not exists" is the vendor's
 *   (DataArts FAQ); the code is our decision, the documentation gives none.
 */
export const HuaweiErrors = {
  authFailed: { status: 401, code: 'APIG.0301' },
  apiNotFound: { status: 404, code: 'APIG.0101' },
  systemError: { status: 500, code: 'APIG.9999' },
  badRequest: { status: 400, code: 'APIG.2001' },
  connectionNotFound: { status: 400, code: 'DLF.6322' },
  workspaceNotFound: { status: 400, code: 'DLS.1000' },
} as const satisfies Record<string, { status: number; code: string }>;

export type HuaweiErrorKind = keyof typeof HuaweiErrors;

export interface HuaweiErrorBody {
  error_code: string;
  error_msg: string;
  request_id: string;
}

export function sendHuaweiError(res: Response, kind: HuaweiErrorKind, message: string): void {
  const { status, code } = HuaweiErrors[kind];
  sendHuaweiErrorBody(res, status, code, message);
}

/** The same body for any status and code (gateway errors of other products, injected faults). */
export function sendHuaweiErrorBody(res: Response, status: number, code: string, message: string): void {
  const requestId = randomUUID().replace(/-/g, '');
  const body: HuaweiErrorBody = { error_code: code, error_msg: message, request_id: requestId };
  res.status(status).set('X-Request-Id', requestId).json(body);
}
