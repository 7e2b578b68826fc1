import type { Response } from 'express';
import { sendHuaweiErrorBody } from '../huawei/errors.js';

/**
 * The errors of the APIG management API (API reference, "Error Codes" and the examples of
 * ExportApiDefinitionsV2, ListApiGroupsV2...). Messages are the vendor's where its examples show
 * them; APIG.2011 for an invalid value and APIG.3201 for a duplicate group name are the codes
 * VENDORS.md lists for bad parameters and our choice for the duplicate, with our wording.
 */
export const ApigErrors = {
  /** 400: a mandatory parameter is missing (vendor example: env_id). */
  missingParameter: (name: string) => ({
    status: 400,
    code: 'APIG.2001',
    message: `The request parameters must be specified,parameterName:${name}. Please refer to the support documentation`,
  }),
  /** 400: a parameter has a value the API does not accept. */
  invalidParameter: (name: string) => ({
    status: 400,
    code: 'APIG.2011',
    message: `The parameter value is invalid,parameterName:${name}. Please refer to the support documentation`,
  }),
  /** 404: vendor example "API group c77f5e81d9cb4424bf704ef2b0ac7600 does not exist". */
  groupNotFound: (id: string) => ({ status: 404, code: 'APIG.3001', message: `API group ${id} does not exist` }),
  /** 404: vendor example "Environment 7a1ad0c350844ee69479b47df9a881cb does not exist". */
  environmentNotFound: (id: string) => ({ status: 404, code: 'APIG.3003', message: `Environment ${id} does not exist` }),
  /** 404: vendor example "The instance does not exist;id:eddc4d25480b4cd6b512f270a1b8b341". */
  instanceNotFound: (id: string) => ({ status: 404, code: 'APIG.3030', message: `The instance does not exist;id:${id}` }),
  groupNameExists: (name: string) => ({ status: 400, code: 'APIG.3201', message: `The API group name already exists: ${name}` }),
} as const;

export interface ApigError {
  status: number;
  code: string;
  message: string;
}

export function sendApigError(res: Response, error: ApigError): void {
  sendHuaweiErrorBody(res, error.status, error.code, error.message);
}

/** Thrown by request parsing; the route turns it into the vendor's error body. */
export class ApigRequestError extends Error {
  constructor(readonly error: ApigError) {
    super(error.message);
    this.name = 'ApigRequestError';
  }
}
