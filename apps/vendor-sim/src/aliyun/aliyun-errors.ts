import type { Response } from 'express';
import { XMLBuilder } from 'fast-xml-parser';

/**
 * Alibaba Cloud OpenAPI errors, as the API gateway (POP) answers them:
 * `{RequestId, HostId, Code, Message, Recommend}`, in XML under `<Error>` when the call asked for
 * `Format=XML`. Codes and messages are the gateway's public ones (Alibaba Cloud "common error
 * codes"); statuses are the documented ones where the documentation gives one, ours otherwise
 * (see docs/vendor-sim/dataworks.md for which is which).
 */
export const AliyunErrors = {
  IncompleteSignature: { status: 400, message: 'The request signature does not conform to Aliyun standards.' },
  SignatureDoesNotMatch: { status: 400, message: 'Specified signature is not matched with our calculation.' },
  'InvalidAccessKeyId.NotFound': { status: 404, message: 'Specified access key is not found.' },
  'InvalidTimeStamp.Expired': { status: 400, message: 'Specified time stamp or date value is expired.' },
  'InvalidTimeStamp.Format': { status: 400, message: 'Specified time stamp or date value is not well formatted.' },
  SignatureNonceUsed: { status: 400, message: 'Specified signature nonce was used already.' },
  'InvalidSecurityToken.MismatchWithAccessKey': { status: 400, message: 'Specified SecurityToken mismatch with the AccessKey.' },
  'InvalidAction.NotFound': { status: 404, message: 'Specified api is not found, please check your url and method.' },
  InvalidVersion: { status: 400, message: 'Specified parameter Version is not valid.' },
  MissingParameter: { status: 400, message: 'An input parameter that is mandatory for processing this request is not supplied.' },
  InvalidParameter: { status: 400, message: 'The specified parameter is not valid.' },
  'Forbidden.Access': { status: 403, message: 'You are not authorized to access the resources in this workspace.' },
  'Invalid.Tenant.ProjectNotExists': { status: 400, message: 'The project does not exist.' },
  'Throttling.User': { status: 429, message: 'Request was denied due to user flow control.' },
  'Throttling.Api': { status: 429, message: 'Request was denied due to api flow control.' },
  'Throttling.System': { status: 429, message: 'Request was denied due to system flow control.' },
  'InternalError.System': { status: 500, message: 'The request processing has failed due to some unknown error, exception or failure.' },
  ServiceUnavailable: { status: 503, message: 'The request has failed due to a temporary failure of the server.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type AliyunErrorCode = keyof typeof AliyunErrors;

export interface AliyunErrorBody {
  RequestId: string;
  HostId: string;
  Code: string;
  Message: string;
  Recommend: string;
}

/** What an error answer needs from the call: who it was addressed to, its id, its format. */
export interface AliyunCallContext {
  requestId: string;
  /** The Host the client called (the gateway echoes it as HostId). */
  host: string;
  /** `XML` when the call asked for it; JSON otherwise. */
  format: AliyunFormat;
  /** The product code of the troubleshooting link, e.g. `dataworks-public`. */
  product: string;
}

export type AliyunFormat = 'JSON' | 'XML';

const xmlBuilder = new XMLBuilder({});

export const ALIYUN_JSON_CONTENT_TYPE = 'application/json;charset=utf-8';
/** Exactly what the official SDK compares against to decide an error body is XML. */
export const ALIYUN_XML_CONTENT_TYPE = 'text/xml;charset=utf-8';

export function aliyunXmlDocument(root: string, body: object): string {
  return `<?xml version='1.0' encoding='UTF-8'?>${xmlBuilder.build({ [root]: body })}`;
}

/** Sends `body` as the call asked: JSON, or XML under `root`. */
export function sendAliyunBody(res: Response, status: number, context: Pick<AliyunCallContext, 'format' | 'requestId'>, root: string, body: object): void {
  const text = context.format === 'XML' ? aliyunXmlDocument(root, body) : JSON.stringify(body);
  res
    .status(status)
    .set({
      'Content-Type': context.format === 'XML' ? ALIYUN_XML_CONTENT_TYPE : ALIYUN_JSON_CONTENT_TYPE,
      'x-acs-request-id': context.requestId,
    })
    .send(Buffer.from(text, 'utf8'));
}

export function aliyunErrorBody(context: AliyunCallContext, code: string, message: string): AliyunErrorBody {
  return {
    RequestId: context.requestId,
    HostId: context.host,
    Code: code,
    Message: message,
    Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(code)}&product=${encodeURIComponent(context.product)}&requestId=${context.requestId}`,
  };
}

/** `The input parameter "X" that is mandatory for processing this request is not supplied.` */
export function missingParameterMessage(name: string): string {
  return `The input parameter "${name}" that is mandatory for processing this request is not supplied.`;
}

/** `The specified parameter "X" is not valid: why.` */
export function invalidParameterMessage(name: string, why: string): string {
  return `The specified parameter "${name}" is not valid: ${why}.`;
}

/** Sends one of the catalogued errors; `message` replaces the catalogue's when it says more. */
export function sendAliyunError(res: Response, context: AliyunCallContext, code: AliyunErrorCode, message?: string): void {
  const known = AliyunErrors[code];
  sendAliyunBody(res, known.status, context, 'Error', aliyunErrorBody(context, code, message ?? known.message));
}
