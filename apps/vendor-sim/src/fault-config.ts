import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { SIM_FAULTS, type SimFault } from './fault-catalog.js';

/** Latency above this is a typo, not a test: ten minutes. */
const MAX_LATENCY_MS = 600_000;

/** Added delay, ms: fixed, or `[min, max]` drawn per call from the rule's seeded stream. */
export type LatencySpec = number | readonly [number, number];

/** Makes a `replace-body` body from the healthy one, at each call. */
export type ReplacementBodyMaker = (healthy: Buffer) => string | Uint8Array | Readable;

/**
 * What `replace-body` answers instead of the healthy answer. Exactly one of `body` and
 * `bodyBase64`; the healthy answer's headers are kept unless `headers` overrides them, and
 * Content-Length always tells the replacement's own length (streamed bodies are sent chunked).
 */
export interface ReplacementAnswer {
  /** Default 200. */
  status?: number;
  /** Set over the healthy answer's headers (e.g. a wrong Content-Type). */
  headers?: Record<string, string>;
  /**
   * Text (sent as UTF-8), bytes, or a function of the healthy body giving either, or a stream
   * (sent chunked, for bodies too large to hold): a spoiled copy of the real answer.
   */
  body?: string | Uint8Array | ReplacementBodyMaker;
  /** The bytes, base64-encoded: how a binary body travels in JSON or YAML (the control API, the fault file). */
  bodyBase64?: string;
}

export interface FaultParameters {
  /** Added delay before the answer (the fault's or the healthy one). */
  latencyMs?: LatencySpec;
  /** `Retry-After` seconds of http-429 and http-503 (default 1); null sends no header. */
  retryAfterSeconds?: number | null;
  /** The answer of `replace-body` (required there, refused elsewhere). */
  replacement?: ReplacementAnswer;
}

/** One fault served to the next `times` matching calls (the queue that `inject` fills). */
export interface InjectFaultOptions extends FaultParameters {
  /** How many calls it affects; default 1. */
  times?: number;
  /** Route id (`dlf.export`) or vendor (`dlf`); default any route that can serve the fault. */
  route?: string;
}

/**
 * A standing rule, from the config file or the control API: on each matching call it fires when
 * the call number is in `calls` (if given) and a draw from its seeded stream is below `rate`
 * (if given), at most `times` times in all.
 */
export interface FaultRule extends FaultParameters {
  fault: SimFault;
  /** Route id (`apig.export`), vendor (`apig` or `apig.*`), or `*`; default every route. */
  route?: string;
  /** Probability per call, 0..1; default 1. */
  rate?: number;
  /** 1-based numbers of the calls it fires on, counted per route from when the rule was added. */
  calls?: number[];
  /** Most firings in all; default unlimited. */
  times?: number;
}

/** The fault file (`--faults faults.yaml`), also accepted by `PUT /_sim/faults/rules`. */
export interface FaultConfig {
  /** Seed of the rules' streams; default the simulator's seed. */
  seed?: number;
  rules: FaultRule[];
}

const latencySchema = z.union([
  z.number().int().min(0).max(MAX_LATENCY_MS),
  z
    .tuple([z.number().int().min(0).max(MAX_LATENCY_MS), z.number().int().min(0).max(MAX_LATENCY_MS)])
    .refine(([min, max]) => min <= max, 'a latency range is [min, max] with min <= max'),
]);

const replacementSchema = z
  .strictObject({
    status: z.number().int().min(200).max(599).optional(),
    headers: z.record(z.string(), z.string()).optional(),
    body: z
      .union([
        z.string(),
        // isView, not instanceof: a Buffer made in another realm (jest's VM modules) is still bytes.
        z.custom<Uint8Array>((value) => ArrayBuffer.isView(value), 'must be text, bytes or a function of the healthy body'),
        z.custom<ReplacementBodyMaker>((value) => typeof value === 'function', 'must be text, bytes or a function of the healthy body'),
      ])
      .optional(),
    bodyBase64: z.base64().optional(),
  })
  .refine((replacement) => (replacement.body === undefined) !== (replacement.bodyBase64 === undefined), 'a replacement has either body or bodyBase64');

const parameterShape = {
  latencyMs: latencySchema.optional(),
  retryAfterSeconds: z.number().int().min(0).nullable().optional(),
  replacement: replacementSchema.optional(),
};

const routeSchema = z.string().min(1);
const timesSchema = z.number().int().min(1);

const latencyNeedsValue = (rule: { fault: SimFault; latencyMs?: LatencySpec }) => rule.fault !== 'latency' || rule.latencyMs !== undefined;
const latencyNeedsValueIssue = { message: 'a latency fault needs latencyMs', path: ['latencyMs'] };
/** A replacement goes with replace-body, and only there. */
const replacementMatchesFault = (rule: { fault: SimFault; replacement?: unknown }) => (rule.fault === 'replace-body') === (rule.replacement !== undefined);
const replacementMatchesFaultIssue = { message: 'replace-body needs a replacement, and only replace-body takes one', path: ['replacement'] };

export const faultRuleSchema = z
  .strictObject({
    fault: z.enum(SIM_FAULTS),
    route: routeSchema.optional(),
    rate: z.number().min(0).max(1).optional(),
    calls: z.array(z.number().int().min(1)).min(1).optional(),
    times: timesSchema.optional(),
    ...parameterShape,
  })
  .refine(latencyNeedsValue, latencyNeedsValueIssue)
  .refine(replacementMatchesFault, replacementMatchesFaultIssue);

export const faultConfigSchema = z.strictObject({
  seed: z.number().int().optional(),
  rules: z.array(faultRuleSchema),
});

/** `{fault, times?, route?, latencyMs?, retryAfterSeconds?, replacement?}`: the body of `POST /_sim/faults`. */
export const injectFaultSchema = z
  .strictObject({
    fault: z.enum(SIM_FAULTS),
    route: routeSchema.optional(),
    times: timesSchema.optional(),
    ...parameterShape,
  })
  .refine(latencyNeedsValue, latencyNeedsValueIssue)
  .refine(replacementMatchesFault, replacementMatchesFaultIssue);

export class FaultConfigError extends Error {
  override readonly name = 'FaultConfigError';
}

/** Parses with a schema, or throws a FaultConfigError naming every bad field by its path. */
export function parseWith<Schema extends z.ZodType>(schema: Schema, value: unknown, what: string): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const field = issue.path.map(String).join('.');
    return field ? `${field}: ${issue.message}` : issue.message;
  });
  throw new FaultConfigError(`${what} is invalid: ${problems.join('; ')}`);
}

/** A fault file's text, JSON or YAML (YAML is a superset of JSON, so one parser reads both). */
export function parseFaultConfig(text: string, source = 'fault config'): FaultConfig {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new FaultConfigError(`${source} is not valid YAML or JSON: ${(error as Error).message}`);
  }
  return parseWith(faultConfigSchema, document, source);
}

export function loadFaultConfigFile(path: string): FaultConfig {
  return parseFaultConfig(readFileSync(path, 'utf8'), path);
}
