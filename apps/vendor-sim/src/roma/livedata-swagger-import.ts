import { parse as parseYaml } from 'yaml';
import {
  LIVEDATA_METHODS,
  LIVEDATA_PARAMETER_LOCATIONS,
  LIVEDATA_SCRIPT_TYPES,
  LIVEDATA_STATUSES,
  LIVEDATA_VALUE_TYPES,
  type LiveDataApi,
  type LiveDataField,
  type LiveDataMethod,
  type LiveDataParameter,
  type LiveDataScript,
} from './roma-model.js';

/** What an imported operation defines; ids, app and timestamps are the importer's to assign. */
export type ImportedDefinition = Omit<LiveDataApi, 'id' | 'appId' | 'signatureId' | 'createdAt' | 'updatedAt'>;

export interface ImportedSignature {
  name: string;
  key?: string;
  secret?: string;
}

export type ImportedOperation =
  | { ok: true; definition: ImportedDefinition; app?: string; signature?: ImportedSignature }
  | { ok: false; method: string; path: string; name?: string; message: string };

export class SwaggerImportError extends Error {}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const oneOf = <T extends string>(values: readonly T[], value: unknown): value is T => typeof value === 'string' && (values as readonly string[]).includes(value);
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Reads an uploaded file: JSON or YAML, and only Swagger 2.0 (confirmed: "Swagger 2.0 only"). */
export function readSwaggerFile(text: string): Json {
  let document: unknown;
  try {
    document = /^\s*\{/.test(text) ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 100 });
  } catch {
    throw new SwaggerImportError('The file is neither valid JSON nor valid YAML');
  }
  if (!isObject(document) || document.swagger !== '2.0') throw new SwaggerImportError('Only Swagger 2.0 files can be imported');
  if (!isObject(document.paths)) throw new SwaggerImportError('The file has no paths object');
  return document;
}

function fieldsOf(schema: unknown, what: string): LiveDataField[] {
  const props = isObject(schema) && isObject(schema.properties) ? schema.properties : {};
  return Object.entries(props).map(([name, definition]) => {
    const type = isObject(definition) ? definition.type : undefined;
    if (!oneOf(LIVEDATA_VALUE_TYPES, type)) throw new SwaggerImportError(`${what} field ${name}: unsupported type ${JSON.stringify(type)}`);
    const description = isObject(definition) && typeof definition.description === 'string' ? definition.description : '';
    return { name, type, description };
  });
}

function decodeScript(raw: unknown, index: number): LiveDataScript {
  if (!isObject(raw)) throw new SwaggerImportError(`x-livedata-scripts[${index}] is not an object`);
  if (!oneOf(LIVEDATA_SCRIPT_TYPES, raw.type)) throw new SwaggerImportError(`x-livedata-scripts[${index}].type must be one of ${LIVEDATA_SCRIPT_TYPES.join(', ')}`);
  if (typeof raw.content !== 'string' || raw.content === '' || !BASE64.test(raw.content)) {
    throw new SwaggerImportError(`x-livedata-scripts[${index}].content must be base64`);
  }
  const datasources = Array.isArray(raw.datasources) ? raw.datasources.filter((d): d is string => typeof d === 'string') : [];
  return { type: raw.type, content: Buffer.from(raw.content, 'base64').toString('utf8'), result: typeof raw.result === 'string' ? raw.result : '', datasources };
}

function definitionOf(document: Json, method: LiveDataMethod, path: string, op: Json): ImportedOperation {
  const name = typeof op.operationId === 'string' ? op.operationId : undefined;
  try {
    if (!name) throw new SwaggerImportError('operationId (the backend name) is required');
    const parameters: LiveDataParameter[] = [];
    let requestBody: LiveDataField[] | null = null;
    for (const raw of Array.isArray(op.parameters) ? op.parameters : []) {
      if (!isObject(raw) || typeof raw.name !== 'string') throw new SwaggerImportError('a parameter has no name');
      if (raw.in === 'body') {
        requestBody = fieldsOf(raw.schema, 'body');
        continue;
      }
      if (!oneOf(LIVEDATA_PARAMETER_LOCATIONS, raw.in)) throw new SwaggerImportError(`parameter ${raw.name}: unsupported location ${JSON.stringify(raw.in)}`);
      if (!oneOf(LIVEDATA_VALUE_TYPES, raw.type)) throw new SwaggerImportError(`parameter ${raw.name}: unsupported type ${JSON.stringify(raw.type)}`);
      const parameter: LiveDataParameter = {
        name: raw.name,
        in: raw.in,
        type: raw.type,
        required: raw.required === true,
        description: typeof raw.description === 'string' ? raw.description : '',
      };
      if (typeof raw.default === 'string' || typeof raw.default === 'number' || typeof raw.default === 'boolean') parameter.default = raw.default;
      parameters.push(parameter);
    }
    const responses = isObject(op.responses) ? op.responses : {};
    const ok = isObject(responses['200']) ? responses['200'] : undefined;
    const status = op['x-livedata-status'] ?? 'DESIGNED';
    if (!oneOf(LIVEDATA_STATUSES, status)) throw new SwaggerImportError(`x-livedata-status must be one of ${LIVEDATA_STATUSES.join(', ')}`);
    const scripts = (Array.isArray(op['x-livedata-scripts']) ? op['x-livedata-scripts'] : []).map(decodeScript);

    let signature: ImportedSignature | undefined;
    const security = Array.isArray(op.security) ? op.security : [];
    const schemeName = security.flatMap((requirement) => (isObject(requirement) ? Object.keys(requirement) : []))[0];
    if (schemeName !== undefined) {
      const definitions = isObject(document.securityDefinitions) ? document.securityDefinitions : {};
      const scheme = definitions[schemeName];
      if (!isObject(scheme) || scheme['x-livedata-auth-type'] !== 'SIGNATURE') {
        throw new SwaggerImportError(`security scheme ${schemeName} is not a SIGNATURE scheme of the file`);
      }
      const signed = isObject(scheme['x-livedata-signature']) ? scheme['x-livedata-signature'] : {};
      signature = {
        name: schemeName,
        key: typeof signed.key === 'string' ? signed.key : undefined,
        secret: typeof signed.secret === 'string' ? signed.secret : undefined,
      };
    }
    const version = op['x-livedata-version'];
    return {
      ok: true,
      definition: {
        name,
        method,
        path,
        description: typeof op.description === 'string' ? op.description : '',
        version: typeof version === 'string' ? version : '1.0.0',
        status,
        parameters,
        requestBody,
        responseFields: fieldsOf(ok?.schema, 'response'),
        scripts,
      },
      app: typeof op['x-livedata-roma-app'] === 'string' ? op['x-livedata-roma-app'] : undefined,
      signature,
    };
  } catch (error) {
    if (!(error instanceof SwaggerImportError)) throw error;
    return { ok: false, method, path, name, message: error.message };
  }
}

/** Every operation of the file, readable or not (an unreadable one is one failure, not the import's). */
export function importedOperations(document: Json): ImportedOperation[] {
  const operations: ImportedOperation[] = [];
  for (const [path, item] of Object.entries(document.paths as Json)) {
    if (!isObject(item)) continue;
    for (const [key, op] of Object.entries(item)) {
      // Path-level parameters, $ref and extensions are not operations.
      if (key === 'parameters' || key === '$ref' || key.startsWith('x-') || !isObject(op)) continue;
      const method = key.toUpperCase();
      if (!oneOf(LIVEDATA_METHODS, method)) {
        operations.push({ ok: false, method, path, message: `method ${method} is not supported by custom backends` });
        continue;
      }
      operations.push(definitionOf(document, method, path, op));
    }
  }
  return operations;
}
