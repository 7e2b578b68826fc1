import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { MetricsRepository, RUN_DURATION_BUCKETS } from './metrics.repository.js';

/**
 * A histogram whose buckets come from the database at scrape time instead of observe() calls.
 * prom-client renders any metric through getForPromString(); this one answers it from the
 * aggregates directly.
 */
class DatabaseHistogram extends Histogram<'source'> {
  constructor(
    private readonly spec: { name: string; help: string; registry: Registry },
    private readonly load: () => ReturnType<MetricsRepository['runDurations']>,
  ) {
    super({ name: spec.name, help: spec.help, labelNames: ['source'], buckets: [...RUN_DURATION_BUCKETS], registers: [spec.registry] });
  }

  async getForPromString() {
    const values = [];
    for (const row of await this.load()) {
      RUN_DURATION_BUCKETS.forEach((le, i) => values.push({ labels: { source: row.source, le }, value: row.buckets[i]!, metricName: `${this.spec.name}_bucket` }));
      values.push({ labels: { source: row.source, le: '+Inf' }, value: row.count, metricName: `${this.spec.name}_bucket` });
      values.push({ labels: { source: row.source }, value: row.sum, metricName: `${this.spec.name}_sum` });
      values.push({ labels: { source: row.source }, value: row.count, metricName: `${this.spec.name}_count` });
    }
    return { name: this.spec.name, help: this.spec.help, type: 'histogram' as const, values, aggregator: 'sum' as const };
  }

  override async get() {
    return (await this.getForPromString()) as unknown as Awaited<ReturnType<Histogram<'source'>['get']>>;
  }
}

/**
 * Prometheus metrics: process metrics, plus run and source metrics read from the database at
 * scrape time (see MetricsRepository). One registry per app, so apps in one process (tests)
 * never share series.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  constructor(private readonly metrics: MetricsRepository) {
    const registers = [this.registry];
    const repository = this.metrics;
    // Items and bytes come from one query; both gauges of a scrape share its answer.
    const volumes = sharedWithin(1000, () => repository.sourceVolumes());

    new Gauge({
      name: 'apivault_runs',
      help: 'Runs recorded, by source and status (succeeded, partial, failed, held, cancelled, running)',
      labelNames: ['source', 'status'],
      registers,
      async collect() {
        this.reset();
        for (const row of await repository.runsByStatus()) this.set({ source: row.source, status: row.status }, row.n);
      },
    });
    new DatabaseHistogram({ name: 'apivault_run_duration_seconds', help: 'Duration of ended runs, by source', registry: this.registry }, () => repository.runDurations());
    new Gauge({
      name: 'apivault_source_items',
      help: 'Current (not removed) catalog items per source',
      labelNames: ['source'],
      registers,
      async collect() {
        this.reset();
        for (const row of await volumes()) this.set({ source: row.source }, row.items);
      },
    });
    new Gauge({
      name: 'apivault_source_archived_bytes',
      help: 'Bytes of the distinct raw exports archived for each source',
      labelNames: ['source'],
      registers,
      async collect() {
        this.reset();
        for (const row of await volumes()) this.set({ source: row.source }, row.bytes);
      },
    });
    new Counter({
      name: 'apivault_vendor_errors_total',
      help: 'Failed vendor calls recorded on runs (failed runs and failed parts), by source, error code and vendor error code',
      labelNames: ['source', 'code', 'vendor_code'],
      registers,
      async collect() {
        this.reset();
        for (const row of await repository.vendorErrors()) this.inc({ source: row.source, code: row.code, vendor_code: row.vendor_code }, row.n);
      },
    });
    new Gauge({
      name: 'apivault_source_seconds_since_last_success',
      help: 'Seconds since the last succeeded run of each enabled source (since its creation when it never succeeded)',
      labelNames: ['source', 'ever_succeeded'],
      registers,
      async collect() {
        this.reset();
        for (const row of await repository.secondsSinceLastSuccess()) this.set({ source: row.source, ever_succeeded: String(row.ever) }, row.seconds);
      },
    });
  }

  /** Process metrics (CPU, memory, event loop, GC): for the daemon only, not CLI commands. */
  collectProcessMetrics(): void {
    collectDefaultMetrics({ register: this.registry });
  }

  contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}

/** The same pending or recent answer for calls within `ms` of the first. */
function sharedWithin<T>(ms: number, load: () => Promise<T>): () => Promise<T> {
  let cached: { at: number; value: Promise<T> } | undefined;
  return () => {
    if (!cached || Date.now() - cached.at > ms) cached = { at: Date.now(), value: load() };
    return cached.value;
  };
}
