export {
  DATAWORKS_API_VERSION,
  API_FIELD_ORDER as DATAWORKS_API_FIELD_ORDER,
  DETAILS_FIELD_BY_MODE as DATAWORKS_DETAILS_FIELD_BY_MODE,
  formatDataWorksTime,
  type DataWorksApi,
  type DataWorksRequestParameter,
  type DataWorksResponseParameter,
  type DataWorksConnection,
  type DataWorksErrorCode,
  type WizardDetails,
  type ScriptDetails,
  type RegistrationDetails,
} from './dataworks-api.js';
export { DataWorksInputError, API_NAME_PATTERN, MAX_TIMEOUT_MS, type DataWorksApiDefinition } from './dataworks-api-input.js';
export * from './dataworks-state.js';
export { DATAWORKS_APIS_PER_SCALE, generateDataWorksApis, type GenerateDataWorksApisOptions } from './dataworks-generator.js';
export { DATAWORKS_TENANT_ID, DATAWORKS_PROJECT_IDS, seedDataWorks } from './seed-dataworks.js';
export { DATAWORKS_LIST_ROUTE, LIST_DATA_SERVICE_APIS, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './dataworks-list-action.js';
export { DATAWORKS_CREATE_ROUTE, CREATE_DATA_SERVICE_API } from './dataworks-create-action.js';
export { AliyunErrors, type AliyunErrorCode, type AliyunErrorBody } from '../aliyun/aliyun-errors.js';
export { type AliyunAccount, DEFAULT_ALIYUN_ACCOUNT_ID } from '../aliyun/aliyun-auth.js';
export type { AliyunThrottleLimits, ThrottlingCode } from '../aliyun/aliyun-throttle.js';
