import type { ApiDocument, ApiParameter, JsonObject, JsonValue } from '#catalog-model';
import type { DataWorksApi, DataWorksRequestParameter } from '#vendor-sim';

/**
 * The catalog document a DataWorks API must become, built from the simulator's own object (not
 * from a page): the oracle for "every mapped field" (docs/catalog-model/aliyun.dataworks.dataservice.md).
 * Written apart from the connector's mapper on purpose, from the mapping table.
 */
const METHOD = ['GET', 'POST', 'PUT', 'DELETE'];
const LOCATION = ['path', 'query', 'header', 'body'] as const;
const TYPE = ['string', 'integer', 'long', 'float', 'double', 'boolean', 'array', 'array', 'array', 'array', 'array', 'array'];
const LIST_TYPE = ['StringList', 'IntList', 'LongList', 'FloatList', 'DoubleList', 'BooleanList'];
const OPERATOR = ['Equal', 'Like', 'Const', 'In'];
const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const orNull = (value: string) => (value.trim() === '' ? null : value);
/** `2020-06-23T00:21:01+0800` -> ISO in UTC. */
const utc = (time: string) => new Date(`${time.slice(0, 19)}+08:00`).toISOString();

function parameters(list: DataWorksRequestParameter[], extras: JsonObject): ApiParameter[] {
  const parameterExtras: JsonObject = {};
  const out = list.map((p): ApiParameter => {
    const location = LOCATION[p.ParameterPosition];
    const extra: JsonObject = {};
    if (p.ColumnName !== '') extra.columnName = p.ColumnName;
    extra.operator = OPERATOR[p.ParameterOperator];
    if (p.ParameterDataType >= 6) extra.dataType = LIST_TYPE[p.ParameterDataType - 6];
    parameterExtras[`${location}:${p.ParameterName}`] = extra;
    return {
      name: p.ParameterName,
      location,
      type: TYPE[p.ParameterDataType],
      required: p.IsRequiredParameter,
      default: p.DefaultValue === '' ? null : p.DefaultValue,
      example: p.ExampleValue === '' ? null : p.ExampleValue,
      description: orNull(p.ParameterDescription),
    };
  });
  if (list.length > 0) extras.parameterExtras = parameterExtras;
  return out.sort((a, b) => (a.location === b.location ? byName(a, b) : a.location < b.location ? -1 : 1));
}

export function expectedDataWorksDocument(api: DataWorksApi): ApiDocument {
  const extras: JsonObject = {
    apiMode: ['wizard', 'script', 'registration'][api.ApiMode],
    projectId: api.ProjectId,
    tenantId: api.TenantId,
    folderId: api.FolderId,
    timeoutMs: api.Timeout,
    visibleRange: ['workspace', 'owner'][api.VisibleRange],
    responseContentType: ['json', 'xml'][api.ResponseContentType],
    operatorId: api.OperatorId,
  };
  let params: ApiParameter[] = [];
  let responseFields: ApiDocument['responseFields'] = [];
  let backend: ApiDocument['backend'] = null;
  const data = api.WizardDetails ?? api.ScriptDetails;
  if (data) {
    const wizard = api.WizardDetails;
    const request = wizard ? wizard.WizardRequestParameters : api.ScriptDetails!.ScriptRequestParameters;
    const response = wizard ? wizard.WizardResponseParameters : api.ScriptDetails!.ScriptResponseParameters;
    const connection = wizard ? wizard.WizardConnection : api.ScriptDetails!.ScriptConnection;
    params = parameters(request, extras);
    responseFields = response
      .map((r) => ({ name: r.ParameterName, type: TYPE[r.ParameterDataType], description: orNull(r.ParameterDescription), example: r.ExampleValue === '' ? null : r.ExampleValue }))
      .sort(byName);
    const fieldExtras: JsonObject = {};
    for (const r of response) {
      const extra: JsonObject = {};
      if (r.ColumnName !== '') extra.columnName = r.ColumnName;
      if (r.ParameterDataType >= 6) extra.dataType = LIST_TYPE[r.ParameterDataType - 6];
      if (Object.keys(extra).length > 0) fieldExtras[r.ParameterName] = extra;
    }
    if (Object.keys(fieldExtras).length > 0) extras.responseFieldExtras = fieldExtras;
    backend = {
      type: 'datasource',
      datasourceType: null,
      connection: String(connection.ConnectionId),
      database: null,
      table: orNull(connection.TableName),
      sql: wizard ? null : api.ScriptDetails!.Script,
    };
    extras.isPagedResponse = data.IsPagedResponse;
  } else {
    const r = api.RegistrationDetails!;
    params = parameters(r.RegistrationRequestParameters, extras);
    extras.serviceContentType = ['json', 'xml'][r.ServiceContentType];
    if (r.SuccessfulResultSample !== '') extras.successfulResultSample = r.SuccessfulResultSample;
    if (r.FailedResultSample !== '') extras.failedResultSample = r.FailedResultSample;
    if (r.ServiceRequestBodyDescription !== '') extras.serviceRequestBodyDescription = r.ServiceRequestBodyDescription;
    if (r.RegistrationErrorCodes.length > 0) extras.errorCodes = r.RegistrationErrorCodes as unknown as JsonValue;
    backend = { type: 'http', address: r.ServiceHost, method: null, path: orNull(r.ServicePath), timeoutMs: null, vpc: false };
  }
  return {
    vendor: 'alibaba',
    service: 'dataworks.dataservice',
    name: api.ApiName,
    method: METHOD[api.RequestMethod],
    path: api.ApiPath,
    protocols: [...new Set(api.Protocols.map((p) => ['http', 'https'][p]))].sort(),
    description: orNull(api.Description),
    tags: [],
    status: api.Status === 1 ? 'published' : 'unpublished',
    authType: null,
    group: api.GroupId,
    parameters: params,
    responseFields,
    backend,
    owner: api.CreatorId,
    createdAt: utc(api.CreatedTime),
    updatedAt: utc(api.ModifiedTime),
    vendorExtras: extras,
  };
}
