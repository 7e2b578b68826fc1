import { isJsonObject } from '#catalog-model';

/**
 * Where vendors put their own error code and message. Huawei: `{"error_code","error_msg"}`
 * (IAM nests `{"error":{"code","message"}}`); Alibaba: `{"Code","Message"}` or, in the
 * DataWorks envelope, `{"ErrorCode","ErrorMessage"}`.
 */
const CODE_FIELDS = ['error_code', 'errorCode', 'ErrorCode', 'Code', 'code'];
const MESSAGE_FIELDS = ['error_msg', 'errorMsg', 'ErrorMessage', 'Message', 'message', 'msg'];

/** A vendor code is an identifier ("APIG.1002", "Throttling.User", 401); anything else is not one. */
const VENDOR_CODE = /^[\w.:-]{1,64}$/;

export interface VendorErrorBody {
  vendorCode?: string;
  vendorMessage?: string;
}

export function parseVendorErrorBody(text: string): VendorErrorBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return {};
  }
  if (!isJsonObject(parsed)) return {};
  const holders = isJsonObject(parsed.error) ? [parsed, parsed.error] : [parsed];
  const pick = (fields: string[]): string | undefined => {
    for (const holder of holders) {
      for (const field of fields) {
        const value = holder[field];
        if (typeof value === 'string' && value.trim() !== '') return value.trim();
        if (typeof value === 'number') return String(value);
      }
    }
    return undefined;
  };
  const code = pick(CODE_FIELDS);
  return { vendorCode: code && VENDOR_CODE.test(code) ? code : undefined, vendorMessage: pick(MESSAGE_FIELDS) };
}
