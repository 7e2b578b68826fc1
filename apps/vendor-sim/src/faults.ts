import { DEFAULT_RETRY_AFTER_SECONDS, faultStatus, isSimFault, RETRY_AFTER_STATUSES, type SimFault } from './fault-catalog.js';
import {
  faultConfigSchema,
  faultRuleSchema,
  injectFaultSchema,
  parseWith,
  type FaultConfig,
  type FaultParameters,
  type FaultRule,
  type InjectFaultOptions,
  type LatencySpec,
  type ReplacementAnswer,
} from './fault-config.js';
import { derivedSeed, mulberry32, randomInt, type Random } from './prng.js';

export * from './fault-catalog.js';
export * from './fault-config.js';

/** What a vendor route must do with one call. */
export interface FaultDecision {
  route: string;
  /** 1-based number of this call among the route's calls that asked for a decision. */
  call: number;
  /** The fault to serve; undefined for a healthy answer (possibly late: see latencyMs). */
  fault?: Exclude<SimFault, 'latency'>;
  /** Delay before answering, ms (every firing fault's latency, added up). */
  latencyMs: number;
  /** `Retry-After` to send with a status fault, when it has one. */
  retryAfterSeconds?: number;
  /** What `replace-body` answers. */
  replacement?: ReplacementAnswer;
}

/** One firing, in the order they happened: the record two runs are compared by. */
export interface FiredFault {
  route: string;
  call: number;
  fault: SimFault;
  latencyMs: number;
  /** `injected` (the queue) or the id of the rule that fired. */
  by: 'injected' | number;
}

export interface InjectedFaultStatus extends FaultParameters {
  fault: SimFault;
  remaining: number;
  route?: string;
}

export interface FaultRuleStatus extends FaultRule {
  id: number;
  /** How many times it has fired so far. */
  fired: number;
}

interface QueuedFault extends FaultParameters {
  fault: SimFault;
  remaining: number;
  route?: string;
}

interface RuleStream {
  /** Calls of this route the rule has seen, for `calls`. */
  calls: number;
  random: Random;
}

interface RuleState {
  id: number;
  rule: FaultRule;
  fired: number;
  streams: Map<string, RuleStream>;
}

/** Firings kept for `history()`; a long benchmark with a rate rule would otherwise grow forever. */
const HISTORY_LIMIT = 10_000;

/** `undefined` and `*` match every route; `apig` and `apig.*` every `apig.` route; else the exact id. */
export function routeMatches(pattern: string | undefined, route: string): boolean {
  if (pattern === undefined || pattern === '*') return true;
  const prefix = pattern.endsWith('.*') ? pattern.slice(0, -2) : pattern;
  return route === prefix || route.startsWith(`${prefix}.`);
}

function latencyOf(spec: LatencySpec | undefined, random: Random): number {
  if (spec === undefined) return 0;
  return typeof spec === 'number' ? spec : randomInt(random, spec[0], spec[1]);
}

function retryAfterOf(fault: SimFault, parameters: FaultParameters): number | undefined {
  const status = faultStatus(fault);
  if (status === undefined || parameters.retryAfterSeconds === null) return undefined;
  if (parameters.retryAfterSeconds !== undefined) return parameters.retryAfterSeconds;
  return RETRY_AFTER_STATUSES.has(status) ? DEFAULT_RETRY_AFTER_SECONDS : undefined;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Decides the fault of every vendor call, from two sources: a queue of one-off faults (`inject`,
 * served to the next N matching calls, first injected first served) and standing rules (the
 * `--faults` file, or the control API) with rates, call numbers and latency.
 *
 * Reproducible: each rule draws from its own PRNG per route, seeded from (seed, rule id, route),
 * so the same seed, rules and per-route call sequence give the same faults, whatever the calls
 * of other routes do in between.
 */
export class FaultInjector {
  private queue: QueuedFault[] = [];
  private ruleStates: RuleState[] = [];
  private nextRuleId = 1;
  private rulesSeed: number;
  private readonly routeCalls = new Map<string, number>();
  /** Latency ranges of queued faults draw from these, one per route. */
  private readonly injectedStreams = new Map<string, Random>();
  private fired: FiredFault[] = [];

  /** `seed` also seeds the bytes of generated garbage (the `not-zip` fault). */
  constructor(
    readonly seed = 42,
    config?: FaultConfig,
  ) {
    this.rulesSeed = seed;
    if (config) this.configure(config);
  }

  /** Queues a fault for the next `times` calls (default 1) of `route` (default any route that can serve it). */
  inject(fault: SimFault, options: InjectFaultOptions = {}): void {
    if (!isSimFault(fault)) throw new TypeError(`unknown fault: ${String(fault)}`);
    const times = options.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new RangeError(`times must be a positive integer, got ${times}`);
    const parsed = parseWith(injectFaultSchema, { ...withoutUndefined(options), fault }, 'fault');
    this.queue.push(withoutUndefined({ ...parsed, fault, remaining: times, times: undefined }));
  }

  /** Adds a standing rule; returns it with its id (ids count from 1, in the order rules are added). */
  addRule(rule: FaultRule): FaultRuleStatus {
    const parsed = parseWith(faultRuleSchema, rule, 'fault rule') as FaultRule;
    const state: RuleState = { id: this.nextRuleId++, rule: withoutUndefined(parsed), fired: 0, streams: new Map() };
    this.ruleStates.push(state);
    return this.statusOf(state);
  }

  removeRule(id: number): boolean {
    const before = this.ruleStates.length;
    this.ruleStates = this.ruleStates.filter((state) => state.id !== id);
    return this.ruleStates.length < before;
  }

  /** Replaces every rule (ids restart at 1) and, when given, the seed of their streams; the queue stays. */
  configure(config: FaultConfig): void {
    const parsed = parseWith(faultConfigSchema, config, 'fault config') as FaultConfig;
    this.ruleStates = [];
    this.nextRuleId = 1;
    this.rulesSeed = parsed.seed ?? this.seed;
    for (const rule of parsed.rules) this.addRule(rule);
  }

  /** Back to a fresh injector: no queue, no rules, no history, call counts at zero. */
  clear(): void {
    this.queue = [];
    this.ruleStates = [];
    this.nextRuleId = 1;
    this.rulesSeed = this.seed;
    this.routeCalls.clear();
    this.injectedStreams.clear();
    this.fired = [];
  }

  /** Queued faults still to be served, in the order they will be. */
  list(): InjectedFaultStatus[] {
    return this.queue.map((queued) => ({ ...queued }));
  }

  rules(): FaultRuleStatus[] {
    return this.ruleStates.map((state) => this.statusOf(state));
  }

  /** The seed the rules' streams are drawn from. */
  get ruleSeed(): number {
    return this.rulesSeed;
  }

  /** Every firing so far (the latest HISTORY_LIMIT), oldest first. */
  history(): FiredFault[] {
    return this.fired.map((firing) => ({ ...firing }));
  }

  /**
   * The decision for one call of `route`. Call it once per call, after authentication (faults are
   * spent only on calls that reach the route). `canServe` says which faults the route can serve;
   * the others neither fire nor count there (an unscoped `inject('zip-slip')` waits for a DLF export).
   */
  decide(route: string, canServe: (fault: SimFault) => boolean = () => true): FaultDecision {
    const call = (this.routeCalls.get(route) ?? 0) + 1;
    this.routeCalls.set(route, call);
    let fault: SimFault | undefined;
    let parameters: FaultParameters = {};
    let latencyMs = 0;

    const queued = this.queue.findIndex((q) => routeMatches(q.route, route) && canServe(q.fault));
    if (queued >= 0) {
      const entry = this.queue[queued];
      if (--entry.remaining === 0) this.queue.splice(queued, 1);
      const latency = latencyOf(entry.latencyMs, this.injectedStream(route));
      latencyMs += latency;
      if (entry.fault !== 'latency') [fault, parameters] = [entry.fault, entry];
      this.record({ route, call, fault: entry.fault, latencyMs: latency, by: 'injected' });
    }

    for (const state of this.ruleStates) {
      const { rule } = state;
      if (!routeMatches(rule.route, route) || !canServe(rule.fault)) continue;
      const stream = this.streamOf(state, route);
      // Counted even when it cannot fire, so that `calls: [7]` means the route's 7th call.
      stream.calls++;
      // One fault per call: once chosen, only latency rules still add up.
      if (fault !== undefined && rule.fault !== 'latency') continue;
      if (!this.fires(state, stream)) continue;
      const latency = latencyOf(rule.latencyMs, stream.random);
      latencyMs += latency;
      if (rule.fault !== 'latency') [fault, parameters] = [rule.fault, rule];
      this.record({ route, call, fault: rule.fault, latencyMs: latency, by: state.id });
    }

    if (fault === undefined || fault === 'latency') return { route, call, latencyMs };
    return withoutUndefined({ route, call, fault, latencyMs, retryAfterSeconds: retryAfterOf(fault, parameters), replacement: parameters.replacement });
  }

  /** The fault of the next call of `route`, ignoring latency: the original API, kept for callers that only switch on faults. */
  take(route: string): SimFault | undefined {
    return this.decide(route).fault;
  }

  private fires(state: RuleState, stream: RuleStream): boolean {
    const { rule } = state;
    if (rule.times !== undefined && state.fired >= rule.times) return false;
    if (rule.calls !== undefined && !rule.calls.includes(stream.calls)) return false;
    if (rule.rate !== undefined && !(stream.random() < rule.rate)) return false;
    state.fired++;
    return true;
  }

  private streamOf(state: RuleState, route: string): RuleStream {
    let stream = state.streams.get(route);
    if (!stream) {
      stream = { calls: 0, random: mulberry32(derivedSeed(this.rulesSeed, 'rule', state.id, route)) };
      state.streams.set(route, stream);
    }
    return stream;
  }

  private injectedStream(route: string): Random {
    let random = this.injectedStreams.get(route);
    if (!random) {
      random = mulberry32(derivedSeed(this.seed, 'injected', route));
      this.injectedStreams.set(route, random);
    }
    return random;
  }

  private record(firing: FiredFault): void {
    this.fired.push(firing);
    if (this.fired.length > HISTORY_LIMIT) this.fired.splice(0, this.fired.length - HISTORY_LIMIT);
  }

  private statusOf(state: RuleState): FaultRuleStatus {
    return { id: state.id, ...state.rule, fired: state.fired };
  }
}
