import { FaultInjector, routeMatches, type FaultDecision } from './faults.js';

const faultsOf = (decisions: FaultDecision[]) => decisions.map((d) => d.fault ?? '-').join(' ');
const calls = (injector: FaultInjector, route: string, n: number) => Array.from({ length: n }, () => injector.decide(route));

describe('FaultInjector rules', () => {
  it('matches a route by id, by vendor, or all', () => {
    expect(routeMatches(undefined, 'apig.export')).toBe(true);
    expect(routeMatches('*', 'apig.export')).toBe(true);
    expect(routeMatches('apig', 'apig.export')).toBe(true);
    expect(routeMatches('apig.*', 'apig.groups')).toBe(true);
    expect(routeMatches('apig.export', 'apig.export')).toBe(true);
    expect(routeMatches('apig.export', 'apig.groups')).toBe(false);
    expect(routeMatches('apig', 'apigx.export')).toBe(false);
  });

  it('fires on the given call numbers of each matching route, at most `times` times', () => {
    const injector = new FaultInjector(1, { rules: [{ route: 'dataworks', fault: 'page-shift', calls: [2, 3, 5] }, { fault: 'http-500', calls: [1], times: 1 }] });
    expect(faultsOf(calls(injector, 'dataworks.list', 5))).toBe('http-500 page-shift page-shift - page-shift');
    expect(faultsOf(calls(injector, 'dataworks.get', 3))).toBe('- page-shift page-shift');
    expect(injector.rules().map((r) => r.fired)).toEqual([5, 1]);
  });

  it('draws rates per rule and route: other routes do not change a route\'s faults', () => {
    const config = { rules: [{ fault: 'http-429' as const, rate: 0.5 }] };
    const alone = new FaultInjector(3, config);
    const mixed = new FaultInjector(3, config);
    const expected = calls(alone, 'apig.export', 40);
    const seen: FaultDecision[] = [];
    for (let i = 0; i < 40; i++) {
      mixed.decide('apig.groups');
      seen.push(mixed.decide('apig.export'));
    }
    expect(faultsOf(seen)).toBe(faultsOf(expected));
    const fired = expected.filter((d) => d.fault).length;
    expect(fired).toBeGreaterThan(8);
    expect(fired).toBeLessThan(32);
    expect(faultsOf(calls(new FaultInjector(4, config), 'apig.export', 40))).not.toBe(faultsOf(expected));
    expect(faultsOf(calls(new FaultInjector(4, { ...config, seed: 3 }), 'apig.export', 40))).toBe(faultsOf(expected));
  });

  it('adds latency to a fault, serves the queue first, and one fault per call', () => {
    const injector = new FaultInjector(1, {
      rules: [
        { fault: 'latency', latencyMs: 100 },
        { fault: 'http-503', retryAfterSeconds: 9 },
        { fault: 'http-500' },
      ],
    });
    injector.inject('reset', { latencyMs: 20 });
    expect(injector.decide('dlf.export')).toEqual({ route: 'dlf.export', call: 1, fault: 'reset', latencyMs: 120 });
    expect(injector.decide('dlf.export')).toEqual({ route: 'dlf.export', call: 2, fault: 'http-503', latencyMs: 100, retryAfterSeconds: 9 });
    expect(injector.rules().map((r) => r.fired)).toEqual([2, 1, 0]);
  });

  it('sends Retry-After by default with 429 and 503 only', () => {
    const injector = new FaultInjector();
    for (const fault of ['http-429', 'http-503', 'http-500'] as const) injector.inject(fault);
    injector.inject('http-500', { retryAfterSeconds: 4 });
    expect(calls(injector, 'r', 4).map((d) => d.retryAfterSeconds)).toEqual([1, 1, undefined, 4]);
  });

  it('skips routes that cannot serve a fault, without counting the call', () => {
    const injector = new FaultInjector(1, { rules: [{ fault: 'zip-slip', calls: [1] }] });
    const onlyGeneric = () => false;
    expect(injector.decide('apig.groups', onlyGeneric).fault).toBeUndefined();
    expect(injector.decide('dlf.export').fault).toBe('zip-slip');
  });

  it('clears back to a fresh injector', () => {
    const injector = new FaultInjector(1, { rules: [{ fault: 'http-500', rate: 0.5 }] });
    const first = faultsOf(calls(injector, 'r', 20));
    injector.clear();
    expect(injector.rules()).toEqual([]);
    injector.configure({ rules: [{ fault: 'http-500', rate: 0.5 }] });
    expect(faultsOf(calls(injector, 'r', 20))).toBe(first);
    expect(injector.history().filter((f) => f.fault === 'http-500')).toHaveLength(first.split(' ').filter((f) => f !== '-').length);
  });

  it('refuses bad rules with the field that is wrong', () => {
    const injector = new FaultInjector();
    expect(() => injector.addRule({ fault: 'http-500', calls: [0] })).toThrow(/calls\.0/);
    expect(() => injector.addRule({ fault: 'latency', latencyMs: [50, 10] })).toThrow(/latencyMs/);
    expect(() => injector.configure({ rules: [{ fault: 'boom' as 'reset' }] })).toThrow(/rules\.0\.fault/);
  });
});
