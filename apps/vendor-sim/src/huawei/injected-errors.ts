import type { InjectedErrorSender } from '../fault-answers.js';
import { sendHuaweiErrorBody } from './errors.js';

/**
 * The error a Huawei gateway answers for each status a fault can inject. Codes and messages are
 * the gateway's own (APIG "Error Codes" table, ROMA "API Error Codes" with the APIC prefix), except
 * 503, which the table lacks: we answer it with the "Backend unavailable" code (our decision).
 */
const GATEWAY_ERRORS: Record<number, { code: string; message: string }> = {
  400: { code: '0201', message: 'API request error' },
  401: { code: '0301', message: 'Incorrect IAM authentication information: the token has expired' },
  403: { code: '0302', message: 'The IAM user is not authorized to access the API' },
  404: { code: '0101', message: 'The API does not exist or has not been published in the environment' },
  429: { code: '0308', message: 'The throttling threshold has been reached: policy user over ratelimit,limit:100,time:1 second' },
  500: { code: '9999', message: 'System error. Try again later.' },
  502: { code: '0202', message: 'Backend unavailable' },
  503: { code: '0202', message: 'Backend unavailable' },
  504: { code: '0203', message: 'Backend timeout' },
};

/** `APIG` for the services behind API Gateway (DataArts, APIG itself), `APIC` for ROMA Connect. */
export function huaweiInjectedErrorSender(gateway: 'APIG' | 'APIC'): InjectedErrorSender {
  return (res, { status }) => {
    const known = GATEWAY_ERRORS[status] ?? GATEWAY_ERRORS[500];
    sendHuaweiErrorBody(res, status, `${gateway}.${known.code}`, known.message);
  };
}

export const sendHuaweiInjectedError = huaweiInjectedErrorSender('APIG');
