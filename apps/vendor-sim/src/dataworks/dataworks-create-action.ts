import type { Request, Response } from 'express';
import type { AliyunAction, AuthenticatedAliyunCall } from '../aliyun/aliyun-gateway.js';
import { invalidParameterMessage, sendAliyunError } from '../aliyun/aliyun-errors.js';
import { aliyunInjectedErrorSender } from '../aliyun/aliyun-injected-errors.js';
import { applyFaults, sendAnswer, type FaultyRoute } from '../fault-answers.js';
import { DATAWORKS_API_VERSION, DETAILS_FIELD_BY_MODE } from './dataworks-api.js';
import { DataWorksInputError } from './dataworks-api-input.js';
import { renderDataWorksAnswer } from './dataworks-envelope.js';
import type { DataWorksActionDeps } from './dataworks-list-action.js';
import { DataWorksParamError, integerParam, requiredParam } from './dataworks-params.js';

export const DATAWORKS_CREATE_ROUTE = 'dataworks.create';
export const CREATE_DATA_SERVICE_API = 'CreateDataServiceApi';

/** Required by CreateDataServiceApi (its documentation), besides the details of the API's kind. */
const REQUIRED = ['ProjectId', 'ApiName', 'GroupId', 'ApiMode', 'RequestMethod', 'ResponseContentType', 'Timeout', 'VisibleRange', 'Protocols', 'ApiPath'];

/**
 * `CreateDataServiceApi` (2020-05-18), the restore counterpart: creates an API in development
 * state (unpublished) from the listing's fields, its details passed as a JSON string
 * (`WizardDetails`, `ScriptDetails` or `RegistrationDetails`, lower camel case inside). Answers
 * the new ApiId as `Data`; the next listing shows the API.
 */
export function createDataServiceApiAction(deps: DataWorksActionDeps): AliyunAction {
  return {
    product: 'dataworks-public',
    version: DATAWORKS_API_VERSION,
    async handle(call: AuthenticatedAliyunCall, req: Request, res: Response) {
      const { params, context } = call;
      let projectId: number;
      try {
        for (const name of REQUIRED) requiredParam(params, name);
        projectId = integerParam(params, 'ProjectId', { min: 1 });
        const mode = integerParam(params, 'ApiMode', { min: 0, max: 2 });
        requiredParam(params, DETAILS_FIELD_BY_MODE[mode]);
      } catch (error) {
        if (error instanceof DataWorksParamError) return sendAliyunError(res, context, error.code, error.message);
        throw error;
      }
      const project = deps.dataworks.project(projectId);
      if (!project || (params.TenantId && params.TenantId !== String(project.tenantId))) {
        return sendAliyunError(res, context, 'Invalid.Tenant.ProjectNotExists', `The project ${projectId} does not exist.`);
      }
      if (project.forbidden) return sendAliyunError(res, context, 'Forbidden.Access');

      const route: FaultyRoute = { id: DATAWORKS_CREATE_ROUTE, sendError: aliyunInjectedErrorSender(context) };
      const outcome = await applyFaults(deps.faults, route, req, res, () =>
        renderDataWorksAnswer(CREATE_DATA_SERVICE_API, 0, context, deps.dataworks.options.singleElementLists),
      );
      if (outcome.served) return;
      let apiId: number;
      try {
        apiId = deps.dataworks.create(projectId, params, call.accountId).ApiId;
      } catch (error) {
        if (error instanceof DataWorksInputError) return sendAliyunError(res, context, 'InvalidParameter', invalidParameterMessage(error.field, error.why));
        throw error;
      }
      sendAnswer(res, renderDataWorksAnswer(CREATE_DATA_SERVICE_API, apiId, context, deps.dataworks.options.singleElementLists));
    },
  };
}
