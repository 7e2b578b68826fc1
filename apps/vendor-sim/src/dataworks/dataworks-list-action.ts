import type { Request, Response } from 'express';
import type { AliyunAction, AuthenticatedAliyunCall } from '../aliyun/aliyun-gateway.js';
import { sendAliyunError } from '../aliyun/aliyun-errors.js';
import { aliyunInjectedErrorSender } from '../aliyun/aliyun-injected-errors.js';
import { applyFaults, sendAnswer, type FaultyRoute, type RouteAnswer } from '../fault-answers.js';
import type { FaultInjector } from '../faults.js';
import { DATAWORKS_API_VERSION } from './dataworks-api.js';
import { listPageData, renderDataWorksAnswer } from './dataworks-envelope.js';
import { DataWorksParamError, integerParam, optionalText } from './dataworks-params.js';
import type { DataWorksState } from './dataworks-state.js';

/** Route id for fault rules and `inject(fault, { route })`. */
export const DATAWORKS_LIST_ROUTE = 'dataworks.list';
export const LIST_DATA_SERVICE_APIS = 'ListDataServiceApis';

/** PageSize: default 10, at most 100 (VENDORS.md); above 100 the call is refused (our decision, see the docs). */
export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 100;

export interface DataWorksActionDeps {
  dataworks: DataWorksState;
  faults: FaultInjector;
}

/**
 * `ListDataServiceApis` (2020-05-18): one page of a workspace's APIs in development state,
 * newest first, filtered by name and path keywords (case-insensitive substrings) and creator.
 */
export function listDataServiceApisAction(deps: DataWorksActionDeps): AliyunAction {
  return {
    product: 'dataworks-public',
    version: DATAWORKS_API_VERSION,
    async handle(call: AuthenticatedAliyunCall, req: Request, res: Response) {
      const { params, context } = call;
      let projectId: number;
      let pageNumber: number;
      let pageSize: number;
      let tenantId: number | undefined;
      try {
        projectId = integerParam(params, 'ProjectId', { min: 1 });
        pageNumber = integerParam(params, 'PageNumber', { min: 1 }, 1);
        pageSize = integerParam(params, 'PageSize', { min: 1, max: MAX_PAGE_SIZE }, DEFAULT_PAGE_SIZE);
        tenantId = params.TenantId === undefined || params.TenantId === '' ? undefined : integerParam(params, 'TenantId', { min: 1 });
      } catch (error) {
        if (error instanceof DataWorksParamError) return sendAliyunError(res, context, error.code, error.message);
        throw error;
      }
      const project = deps.dataworks.project(projectId);
      if (!project || (tenantId !== undefined && tenantId !== project.tenantId)) {
        return sendAliyunError(res, context, 'Invalid.Tenant.ProjectNotExists', `The project ${projectId} does not exist${tenantId === undefined ? '' : ` in tenant ${tenantId}`}.`);
      }
      if (project.forbidden) return sendAliyunError(res, context, 'Forbidden.Access');

      const filter = {
        apiNameKeyword: optionalText(params, 'ApiNameKeyword'),
        apiPathKeyword: optionalText(params, 'ApiPathKeyword'),
        creatorId: optionalText(params, 'CreatorId'),
      };
      const page = deps.dataworks.page(projectId, filter, pageNumber, pageSize);
      const healthy = (): RouteAnswer =>
        renderDataWorksAnswer(
          LIST_DATA_SERVICE_APIS,
          listPageData({ pageNumber, pageSize, totalCount: page.totalCount, apis: page.apis }),
          context,
          deps.dataworks.options.singleElementLists,
        );
      const route: FaultyRoute = { id: DATAWORKS_LIST_ROUTE, sendError: aliyunInjectedErrorSender(context), vendorFaults: ['page-shift'] };
      const outcome = await applyFaults(deps.faults, route, req, res, healthy);
      if (outcome.served) return;
      sendAnswer(res, healthy());
      // The estate moves between this page and the next one the client reads.
      if (outcome.vendorFault === 'page-shift') deps.dataworks.shiftPages(projectId, page.apis);
    },
  };
}
