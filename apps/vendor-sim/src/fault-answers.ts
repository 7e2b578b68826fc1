import { pipeline, type Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Request, Response } from 'express';
import { faultStatus, GENERIC_FAULTS, ZIP_FAULTS, type SimFault } from './fault-catalog.js';
import type { ReplacementAnswer } from './fault-config.js';
import type { FaultDecision, FaultInjector } from './faults.js';
import { mulberry32 } from './prng.js';
import { corruptFirstZipEntry } from './zip/corrupt-zip.js';

/** A route's healthy answer, as bytes, so that faults can cut or spoil it. */
export interface RouteAnswer {
  /** Default 200. */
  status?: number;
  headers: Record<string, string>;
  body: Buffer;
}

export interface InjectedError {
  status: number;
  fault: SimFault;
}

/**
 * Writes the vendor's error answer for an injected status (Huawei `{error_code, error_msg}`,
 * Alibaba `{RequestId, Code, Message}`...). `Retry-After` is already set when the fault has one.
 */
export type InjectedErrorSender = (res: Response, error: InjectedError) => void;

/** How a vendor route takes part in fault injection. */
export interface FaultyRoute {
  /** Route id, `<vendor>.<call>` (e.g. `dlf.export`): what fault rules and `inject` name. */
  id: string;
  sendError: InjectedErrorSender;
  /** The healthy answer is a zip: the route also gets truncated-zip, not-zip and corrupt-zip. */
  zip?: boolean;
  /** Faults the route serves itself (e.g. DLF's zip-slip, DataWorks' page-shift). */
  vendorFaults?: readonly SimFault[];
}

export interface FaultOutcome {
  decision: FaultDecision;
  /** The fault's answer has been sent: the route must not answer. */
  served: boolean;
  /** One of the route's `vendorFaults`, for the route to serve. */
  vendorFault?: SimFault;
}

/** Which faults a route can serve: the generic ones, the zip ones if it answers a zip, its own. */
export function faultsServedBy(route: FaultyRoute): (fault: SimFault) => boolean {
  const served = new Set<SimFault>([...GENERIC_FAULTS, ...(route.zip ? ZIP_FAULTS : []), ...(route.vendorFaults ?? [])]);
  return (fault) => served.has(fault);
}

export const HTML_ERROR_PAGE = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>502 Bad Gateway</title></head>
<body><h1>502 Bad Gateway</h1><p>The proxy server received an invalid response from an upstream server.</p></body></html>
`;

const NOT_ZIP_LENGTH = 4096;

/** Reproducible garbage: the same seed always gives the same bytes. */
export function notZipBytes(seed: number): Buffer {
  const random = mulberry32(seed ^ 0x5eed);
  const bytes = Buffer.alloc(NOT_ZIP_LENGTH);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
  bytes.write('NZ', 0, 'latin1'); // never "PK": a sniffing client must not mistake it for a zip
  return bytes;
}

export function sendAnswer(res: Response, answer: RouteAnswer): void {
  res
    .status(answer.status ?? 200)
    .set(answer.headers)
    .set('Content-Length', String(answer.body.length))
    .end(answer.body);
}

/**
 * Headers, then half of the body, then the socket is destroyed: the client sees a response that
 * starts well and breaks, with a Content-Length promising more.
 */
function sendThenReset(req: Request, res: Response, answer: RouteAnswer): void {
  res
    .status(answer.status ?? 200)
    .set(answer.headers)
    .set('Content-Length', String(answer.body.length));
  res.flushHeaders();
  res.write(answer.body.subarray(0, Math.floor(answer.body.length / 2)), () => req.socket.destroy());
}

/**
 * The `replace-body` answer: the healthy headers, overridden by the replacement's, with its
 * status and body. Headers are set as given (no charset added), so a test can send exactly the
 * wrong Content-Type it means to.
 */
function sendReplacement(res: Response, replacement: ReplacementAnswer, healthy: RouteAnswer): void {
  res.status(replacement.status ?? 200);
  for (const [name, value] of Object.entries({ ...healthy.headers, ...replacement.headers })) {
    if (name.toLowerCase() !== 'content-length') res.setHeader(name, value);
  }
  const { body, bodyBase64 } = replacement;
  const made = typeof body === 'function' ? body(healthy.body) : body;
  // Duck-typed: a stream made in another realm (a test under jest's VM modules) is a stream too.
  if (typeof made === 'object' && !ArrayBuffer.isView(made) && typeof (made as Readable).pipe === 'function') {
    // Chunked, read as it is sent: a body of hundreds of megabytes is never held whole.
    return void pipeline(made as Readable, res, () => undefined);
  }
  const bytes =
    bodyBase64 !== undefined
      ? Buffer.from(bodyBase64, 'base64')
      : typeof made === 'string'
        ? Buffer.from(made, 'utf8')
        : Buffer.from((made as Uint8Array).buffer, (made as Uint8Array).byteOffset, (made as Uint8Array).byteLength);
  res.setHeader('Content-Length', String(bytes.length));
  res.end(bytes);
}

async function serveGenericFault(
  fault: SimFault,
  decision: FaultDecision,
  req: Request,
  res: Response,
  route: FaultyRoute,
  healthy: () => RouteAnswer | Promise<RouteAnswer>,
  seed: number,
): Promise<void> {
  const status = faultStatus(fault);
  if (status !== undefined) {
    if (decision.retryAfterSeconds !== undefined) res.set('Retry-After', String(decision.retryAfterSeconds));
    return route.sendError(res, { status, fault });
  }
  if (fault === 'html-200') return void res.status(200).type('text/html; charset=utf-8').send(HTML_ERROR_PAGE);
  const answer = await healthy();
  switch (fault) {
    case 'replace-body':
      return sendReplacement(res, decision.replacement!, answer);
    case 'reset':
      return sendThenReset(req, res, answer);
    case 'truncated':
    case 'truncated-zip':
      return sendAnswer(res, { ...answer, body: answer.body.subarray(0, Math.floor(answer.body.length / 2)) });
    case 'not-zip':
      return sendAnswer(res, { ...answer, body: notZipBytes(seed) });
    case 'corrupt-zip':
      return sendAnswer(res, { ...answer, body: corruptFirstZipEntry(answer.body) });
    default:
      throw new Error(`fault ${fault} reached the generic answers of route ${route.id}`);
  }
}

/**
 * The fault step of a vendor route, called once per (authenticated) call before it answers:
 * decides the call's fault, waits its latency, and serves it when it is generic. `healthy`
 * renders the normal answer; it is called only when a fault needs its bytes (reset, truncation,
 * spoiled zip). Then:
 * - `served`: the answer has been sent, return;
 * - `vendorFault`: serve that fault of the route's own (one of its `vendorFaults`);
 * - otherwise answer normally.
 */
export async function applyFaults(
  faults: FaultInjector,
  route: FaultyRoute,
  req: Request,
  res: Response,
  healthy: () => RouteAnswer | Promise<RouteAnswer>,
): Promise<FaultOutcome> {
  const decision = faults.decide(route.id, faultsServedBy(route));
  if (decision.latencyMs > 0) await sleep(decision.latencyMs);
  const { fault } = decision;
  if (fault === undefined) return { decision, served: false };
  if (route.vendorFaults?.includes(fault)) return { decision, served: false, vendorFault: fault };
  await serveGenericFault(fault, decision, req, res, route, healthy, faults.seed);
  return { decision, served: true };
}
