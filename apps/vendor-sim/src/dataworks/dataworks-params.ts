import { invalidParameterMessage, missingParameterMessage } from '../aliyun/aliyun-errors.js';

/** A parameter problem, answered as MissingParameter or InvalidParameter (400). */
export class DataWorksParamError extends Error {
  constructor(
    readonly code: 'MissingParameter' | 'InvalidParameter',
    message: string,
  ) {
    super(message);
  }
}

export function requiredParam(params: Record<string, string>, name: string): string {
  const value = params[name];
  if (value === undefined || value === '') throw new DataWorksParamError('MissingParameter', missingParameterMessage(name));
  return value;
}

/** A whole number in [min, max]; `fallback` when absent. */
export function integerParam(params: Record<string, string>, name: string, range: { min: number; max?: number }, fallback?: number): number {
  const text = params[name];
  if (text === undefined || text === '') {
    if (fallback === undefined) throw new DataWorksParamError('MissingParameter', missingParameterMessage(name));
    return fallback;
  }
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isSafeInteger(value) || value < range.min || value > max) {
    throw new DataWorksParamError('InvalidParameter', invalidParameterMessage(name, range.max === undefined ? `an integer of at least ${range.min}` : `an integer from ${range.min} to ${range.max}`));
  }
  return value;
}

export function optionalText(params: Record<string, string>, name: string): string | undefined {
  const value = params[name];
  return value === undefined || value === '' ? undefined : value;
}
