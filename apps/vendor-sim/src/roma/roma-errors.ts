import type { Response } from 'express';
import { sendHuaweiErrorBody } from '../huawei/errors.js';

/**
 * Errors of the ROMA Connect custom-backend calls. The vendor's API reference shows these codes
 * and messages for the livedata calls (ShowLiveDataApiV2, ListLiveDataQuotaV2 examples):
 * APIG.2011 (400) "Invalid parameter value,parameterName:..", APIG.3030 (404) "The instance does
 * not exist;id:..", APIG.3084 (404) "The livedata API does not exist, id: ..". APIG.3004 for an
 * unknown application, and the code of an export over the cap in `error` mode, are our decisions.
 */
export const RomaErrors = {
  invalidParameter(res: Response, parameter: string, detail?: string): void {
    const suffix = detail ? ` (${detail})` : '';
    sendHuaweiErrorBody(res, 400, 'APIG.2011', `Invalid parameter value,parameterName:${parameter}. Please refer to the support documentation${suffix}`);
  },
  instanceNotFound(res: Response, instanceId: string): void {
    sendHuaweiErrorBody(res, 404, 'APIG.3030', `The instance does not exist;id:${instanceId}`);
  },
  appNotFound(res: Response, appId: string): void {
    sendHuaweiErrorBody(res, 404, 'APIG.3004', `The app does not exist, id: ${appId}`);
  },
  liveDataApiNotFound(res: Response, apiId: string): void {
    sendHuaweiErrorBody(res, 404, 'APIG.3084', `The livedata API does not exist, id: ${apiId}`);
  },
  exportTooLarge(res: Response, maxBytes: number): void {
    sendHuaweiErrorBody(res, 400, 'APIG.2011', `Invalid parameter value,parameterName:apis. The export exceeds ${maxBytes} bytes: narrow it with app_id, apis or status`);
  },
};
