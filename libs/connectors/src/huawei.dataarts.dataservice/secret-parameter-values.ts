import { isJsonObject, isSecretFieldName, type JsonObject, type JsonValue, type SecretRedactor } from '#catalog-model';

/**
 * Redacts a document, including what field-name redaction cannot see: values held next to a
 * `name` that says they are secret. A registered API's backend constant named `app_secret`
 * carries the credential in `value`, and a request parameter named `X-Api-Key` may carry one as
 * its default or example. Field-name redaction runs first and returns a copy, which this then
 * completes in place.
 */
export function redactApiDocument(document: JsonObject, redactor: SecretRedactor): { document: JsonObject; redactedPaths: string[] } {
  const { document: copy, redactedPaths } = redactor.redactDocument(document);
  const paths = [...redactedPaths];
  const redactFields = (holder: JsonValue, fields: string[], path: string) => {
    if (!isJsonObject(holder) || typeof holder.name !== 'string' || !isSecretFieldName(holder.name)) return;
    for (const field of fields) {
      const value = holder[field];
      if (value === null || value === undefined || value === '' || isJsonObject(value) || Array.isArray(value)) continue;
      holder[field] = redactor.redactValue(value);
      paths.push(`${path}/${field}`);
    }
  };

  const parameters = copy.parameters;
  if (Array.isArray(parameters)) parameters.forEach((parameter, i) => redactFields(parameter, ['default', 'example'], `/parameters/${i}`));
  const extras = copy.vendorExtras;
  const backend = isJsonObject(extras) ? extras.backend_config : undefined;
  const constants = isJsonObject(backend) ? backend.constant_paras : undefined;
  if (Array.isArray(constants)) constants.forEach((constant, i) => redactFields(constant, ['value'], `/vendorExtras/backend_config/constant_paras/${i}`));
  return { document: copy, redactedPaths: paths.sort() };
}
