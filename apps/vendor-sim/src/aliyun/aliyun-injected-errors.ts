import type { InjectedErrorSender } from '../fault-answers.js';
import { aliyunErrorBody, sendAliyunBody, type AliyunCallContext } from './aliyun-errors.js';

/**
 * The error the Alibaba gateway answers for each status a fault can inject. Codes and messages
 * are the gateway's public ones; which code goes with 401, 502 and 504 is our decision (the
 * gateway rarely uses those statuses).
 */
const INJECTED: Record<number, { code: string; message: string }> = {
  400: { code: 'InvalidParameter', message: 'The specified parameter is not valid.' },
  401: { code: 'InvalidSecurityToken.Expired', message: 'Specified SecurityToken is expired.' },
  403: { code: 'Forbidden.Access', message: 'You are not authorized to access the resources in this workspace.' },
  404: { code: 'InvalidAction.NotFound', message: 'Specified api is not found, please check your url and method.' },
  429: { code: 'Throttling.User', message: 'Request was denied due to user flow control.' },
  500: { code: 'InternalError.System', message: 'The request processing has failed due to some unknown error, exception or failure.' },
  502: { code: 'ServiceUnavailable', message: 'The request has failed due to a temporary failure of the server.' },
  503: { code: 'ServiceUnavailable', message: 'The request has failed due to a temporary failure of the server.' },
  504: { code: 'GatewayTimeout', message: 'The request timed out while the backend was processing it.' },
};

/** Answers injected status faults of one call in the call's format (JSON or XML). */
export function aliyunInjectedErrorSender(context: AliyunCallContext): InjectedErrorSender {
  return (res, { status }) => {
    const known = INJECTED[status] ?? INJECTED[500];
    sendAliyunBody(res, status, context, 'Error', aliyunErrorBody(context, known.code, known.message));
  };
}
