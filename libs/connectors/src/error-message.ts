/**
 * The message of anything thrown. Duck-typed, because errors raised inside Node (undici, zlib,
 * fs) come from another realm under jest's VM modules, where `instanceof Error` is false.
 */
export function errorMessage(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}
