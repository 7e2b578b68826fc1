import type { JsonObject } from '#catalog-model';
import type { ApigApi, ApigEnvironment, ApigGroup, ApigPublication } from './apig-model.js';

/** The vendor writes times without milliseconds: `2024-03-01T08:00:00Z`. */
export function apigTime(iso: string): string {
  return iso.replace(/\.\d{3}Z$/, 'Z');
}

/** One ApiGroupInfo of ListApiGroupsV2. */
export function apiGroupInfo(group: ApigGroup): JsonObject {
  return {
    id: group.id,
    name: group.name,
    status: 1,
    sl_domain: group.slDomain,
    register_time: apigTime(group.registerTime),
    update_time: apigTime(group.updateTime),
    on_sell_status: 2,
    url_domains: group.urlDomains.map((domain, i) => ({
      id: `${group.id.slice(0, 24)}${String(i).padStart(8, '0')}`,
      domain,
      cname_status: 3,
      ssl_id: '',
      ssl_name: '',
      min_ssl_version: 'TLSv1.2',
      verified_client_certificate_enabled: false,
      is_has_trusted_root_ca: false,
    })),
    sl_domains: [group.slDomain],
    remark: group.remark,
    call_limits: 0,
    time_interval: 0,
    time_unit: '',
    is_default: 2,
    version: 'V1',
    roma_app_id: '',
    roma_app_name: '',
  };
}

/** One EnvInfo of ListEnvironmentsV2. */
export function envInfo(env: ApigEnvironment): JsonObject {
  return { id: env.id, name: env.name, create_time: apigTime(env.createTime), remark: env.remark };
}

const AUTH_TYPE_NAMES: Record<ApigApi['authType'], string> = { APP: 'APP', IAM: 'IAM', NONE: 'NONE', AUTHORIZER: 'AUTHORI' };

/**
 * One ApiInfoPerPage of ListApisV2 (no backend: the vendor returns none there). With an `env_id`
 * filter the publication in that environment is filled in.
 */
export function apiInfoPerPage(api: ApigApi, group: ApigGroup | undefined, publication: ApigPublication | undefined, envName: string | undefined): JsonObject {
  return {
    id: api.id,
    name: api.name,
    type: api.requestType === 'public' ? 1 : 2,
    version: '',
    req_protocol: api.protocol,
    req_method: api.method,
    req_uri: api.path,
    auth_type: AUTH_TYPE_NAMES[api.authType],
    auth_opt: { app_code_auth_type: api.appCodeAuth ? 'HEADER' : 'DISABLE' },
    authorizer_id: api.authorizerId ?? '',
    cors: api.cors,
    match_mode: api.matchMode === 'SWA' ? 'SWA' : 'NORMAL',
    backend_type: api.backend?.type === 'HTTP-VPC' ? 'HTTP' : (api.backend?.type ?? 'HTTP'),
    remark: api.description,
    group_id: api.groupId,
    group_name: group?.name ?? '',
    register_time: apigTime(api.registerTime),
    update_time: apigTime(api.updateTime),
    tags: [...api.tags],
    status: 1,
    run_env_id: publication?.envId ?? '',
    run_env_name: envName ?? '',
    publish_id: publication?.publishId ?? '',
    publish_time: publication ? apigTime(publication.publishTime) : '',
  };
}
