import { isJsonObject, isSecretFieldName, type JsonObject, type JsonValue, type SecretRedactor } from '#catalog-model';

/** Header names that carry credentials without saying "secret" or "token" in them. */
const CREDENTIAL_HEADERS = /^(authorization|proxy-authorization|cookie)$/i;

function isSecretParameterName(name: string): boolean {
  return isSecretFieldName(name) || CREDENTIAL_HEADERS.test(name);
}

/**
 * APIG backend parameters are `{name, value, in, origin}`: a CONSTANT one sends `value` to the
 * backend on every call, and a parameter named like a credential ("X-Backend-Token",
 * "Authorization") makes that value a secret. The generic redactor looks at field names only,
 * and here the name is in a sibling field, so these values are redacted first, wherever they
 * sit in the document (backend, backend policies, per-environment definitions).
 */
export function redactConstantBackendSecrets(document: JsonObject, redactor: SecretRedactor): { document: JsonObject; redactedPaths: string[] } {
  const redactedPaths: string[] = [];
  const visit = (value: JsonValue, path: string): JsonValue => {
    if (Array.isArray(value)) return value.map((item, i) => visit(item, `${path}/${i}`));
    if (!isJsonObject(value)) return value;
    const out: JsonObject = {};
    for (const [key, child] of Object.entries(value)) out[key] = visit(child, `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    const { name, origin } = value;
    if (origin === 'CONSTANT' && typeof name === 'string' && isSecretParameterName(name) && typeof value.value === 'string' && value.value !== '') {
      out.value = redactor.redactValue(value.value);
      redactedPaths.push(`${path}/value`);
    }
    return out;
  };
  return { document: visit(document, '') as JsonObject, redactedPaths };
}
