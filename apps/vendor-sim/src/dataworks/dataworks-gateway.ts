import type { Router } from 'express';
import type { AliyunAuthConfig } from '../aliyun/aliyun-auth.js';
import { aliyunGatewayRouter, type AliyunAction } from '../aliyun/aliyun-gateway.js';
import { AliyunThrottle } from '../aliyun/aliyun-throttle.js';
import type { FaultInjector } from '../faults.js';
import { CREATE_DATA_SERVICE_API, createDataServiceApiAction } from './dataworks-create-action.js';
import { LIST_DATA_SERVICE_APIS, listDataServiceApisAction } from './dataworks-list-action.js';
import type { DataWorksState } from './dataworks-state.js';

export interface DataWorksGatewayDeps {
  dataworks: DataWorksState;
  faults: FaultInjector;
  aliyunAuth: AliyunAuthConfig;
  /** The simulator's export clock: request ids derive from it. */
  now: () => Date;
}

/**
 * DataWorks (`dataworks.{region}.aliyuncs.com`) behind the simulated Alibaba Cloud gateway, at `/`:
 * ListDataServiceApis and CreateDataServiceApi, throttled as `dataworks.options.throttling` says.
 */
export function dataWorksGatewayRouter(deps: DataWorksGatewayDeps): Router {
  const actions = new Map<string, AliyunAction>([
    [LIST_DATA_SERVICE_APIS, listDataServiceApisAction(deps)],
    [CREATE_DATA_SERVICE_API, createDataServiceApiAction(deps)],
  ]);
  return aliyunGatewayRouter({
    auth: deps.aliyunAuth,
    throttle: new AliyunThrottle(() => deps.dataworks.options.throttling),
    actions,
    now: deps.now,
  });
}
