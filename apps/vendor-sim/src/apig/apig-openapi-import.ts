import { randomBytes } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { isJsonObject, type JsonObject } from '#catalog-model';
import { ApigErrors, ApigRequestError } from './apig-errors.js';
import { ImportedOperationError, operationMethod, readAuthorizer, readOperation, type ApigApiDraft, type DefinitionFile } from './apig-definition-reader.js';
import type { ApigImportForm } from './apig-import-form.js';
import type { ApigApi, ApigGroup } from './apig-model.js';
import { ApigStateError, type ApigState } from './apig-state.js';

function newId(): string {
  return randomBytes(16).toString('hex');
}

function invalidFile(why: string): ApigRequestError {
  const base = ApigErrors.invalidParameter('file_name');
  return new ApigRequestError({ ...base, message: `${base.message} (${why})` });
}

/** JSON or YAML; YAML aliases are capped, so a "billion laughs" file is refused, not expanded. */
export function readDefinitionFile(bytes: Buffer): DefinitionFile {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  let document: unknown;
  try {
    document = /^\s*[{[]/.test(text) ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    throw invalidFile(`not JSON or YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (!isJsonObject(document)) throw invalidFile('not an OpenAPI object');
  if (document.swagger === '2.0') return { oasVersion: '2.0', document };
  if (typeof document.openapi === 'string' && document.openapi.startsWith('3.0')) return { oasVersion: '3.0', document };
  throw invalidFile('neither swagger 2.0 nor openapi 3.0');
}

interface ImportOutcome {
  success: { path: string; method: string; action: 'create' | 'update'; id: string }[];
  failure: { path: string; method: string; error_code: string; error_msg: string }[];
  ignore: { path: string; method: string }[];
}

function targetGroup(state: ApigState, form: ApigImportForm, file: DefinitionFile): ApigGroup {
  if (!form.isCreateGroup) {
    const group = state.getGroup(form.groupId!);
    if (!group) throw new ApigRequestError(ApigErrors.groupNotFound(form.groupId!));
    return group;
  }
  const info = isJsonObject(file.document.info) ? file.document.info : {};
  const name = typeof info.title === 'string' && info.title !== '' ? info.title : `group_${newId().slice(0, 8)}`;
  if (state.findGroupByName(name)) throw new ApigRequestError(ApigErrors.groupNameExists(name));
  const id = newId();
  const now = state.now().toISOString();
  const group: ApigGroup = {
    id,
    name,
    remark: typeof info.description === 'string' ? info.description : '',
    slDomain: `${id}.apic.cn-north-4.huaweicloudapis.com`,
    urlDomains: [],
    entryUrlPlaceholder: false,
    registerTime: now,
    updateTime: now,
  };
  state.upsertGroup(group);
  return group;
}

/** The authorizer a draft names: an existing one of that name, or one created from the file. */
function authorizerIdOf(state: ApigState, draft: ApigApiDraft): string | undefined {
  if (draft.authType !== 'AUTHORIZER' || !draft.authorizer) return undefined;
  const existing = state.listAuthorizers().find((a) => a.name === draft.authorizer!.name);
  if (existing) return existing.id;
  if (!draft.authorizer.definition) throw new ImportedOperationError(`custom authorizer ${draft.authorizer.name} does not exist and the file does not define it`);
  const created = readAuthorizer(newId(), draft.authorizer.name, draft.authorizer.definition);
  state.upsertAuthorizer(created);
  return created.id;
}

/** An API of the file over an existing one: the front end is the file's; `extend_mode` decides the extensions. */
function overridden(existing: ApigApi, draft: ApigApiDraft, extendMode: ApigImportForm['extendMode']): Omit<ApigApi, 'id' | 'groupId' | 'registerTime' | 'updateTime' | 'authorizerId'> {
  const { authorizer: _authorizer, ...front } = draft;
  const keepOurs = extendMode === 'merge';
  return {
    ...front,
    backend: keepOurs && existing.backend ? existing.backend : (draft.backend ?? existing.backend),
    backendParameters: keepOurs && existing.backend ? existing.backendParameters : draft.backendParameters,
    backendPolicies: keepOurs && existing.backendPolicies.length > 0 ? existing.backendPolicies : draft.backendPolicies,
  };
}

/**
 * `POST .../openapi/import`: creates (or updates) the APIs of a Swagger 2.0 / OpenAPI 3.0 file in
 * a new group (`is_create_group`, named after `info.title`) or an existing one. An API whose
 * method and path exist already is kept (`api_mode=merge`, listed in `ignore`) or replaced
 * (`override`). Imported APIs are not published, as with the vendor: a later `dev` export shows
 * them. Throttling and ACL bindings in the file are not imported (they belong to environments).
 */
export function importApigDefinitions(state: ApigState, form: ApigImportForm): JsonObject {
  const file = readDefinitionFile(form.file);
  const group = targetGroup(state, form, file);
  const outcome: ImportOutcome = { success: [], failure: [], ignore: [] };
  const paths = isJsonObject(file.document.paths) ? file.document.paths : {};

  for (const [path, item] of Object.entries(paths)) {
    if (!isJsonObject(item)) continue;
    for (const methodKey of Object.keys(item)) {
      const method = operationMethod(methodKey);
      if (!method) continue;
      try {
        const draft = readOperation(file, path, methodKey, item, form.mockMode);
        const existing = state.findApi(group.id, draft.method, draft.path);
        if (existing && form.apiMode === 'merge') {
          outcome.ignore.push({ path, method });
          continue;
        }
        const authorizerId = authorizerIdOf(state, draft);
        const now = state.now().toISOString();
        const { authorizer: _authorizer, ...fields } = draft;
        const api: ApigApi = {
          ...(existing ? overridden(existing, draft, form.extendMode) : fields),
          ...(authorizerId ? { authorizerId } : {}),
          id: existing?.id ?? newId(),
          groupId: group.id,
          registerTime: existing?.registerTime ?? now,
          updateTime: now,
        };
        state.upsertApi(api);
        outcome.success.push({ path, method, action: existing ? 'update' : 'create', id: api.id });
      } catch (error) {
        if (!(error instanceof ImportedOperationError || error instanceof ApigStateError)) throw error;
        outcome.failure.push({ path, method, error_code: 'APIG.2011', error_msg: error.message });
      }
    }
  }
  return { group_id: group.id, success: outcome.success, failure: outcome.failure, ignore: outcome.ignore };
}
