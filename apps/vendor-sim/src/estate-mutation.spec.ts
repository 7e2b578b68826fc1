import { DLM_TYPES } from './dataservice/dataservice-api.js';
import { editedDescription, mutateEstate } from './estate-mutation.js';
import { startVendorSim, type VendorSim } from './index.js';

/** Every item's description, keyed by vendor and id: what a mutation may change. */
function descriptions(sim: VendorSim): Map<string, string> {
  const out = new Map<string, string>();
  for (const ws of sim.dlf.workspaces()) for (const c of sim.dlf.list(ws)) out.set(`dlf:${ws}:${c.name}`, c.description);
  for (const ws of sim.dataService.workspaces()) {
    for (const dlm of DLM_TYPES) for (const api of sim.dataService.list(ws, dlm)) out.set(`dataservice:${ws}:${dlm}:${api.id}`, api.description);
  }
  for (const api of sim.roma.apis()) out.set(`roma:${api.id}`, api.description);
  for (const api of sim.apig.listApis()) out.set(`apig:${api.id}`, api.description);
  for (const p of sim.dataworks.listProjects()) for (const api of sim.dataworks.list(p.projectId)) out.set(`dataworks:${p.projectId}:${api.ApiId}`, api.Description);
  return out;
}

function changedKeys(before: Map<string, string>, after: Map<string, string>): string[] {
  expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
  return [...before].filter(([key, text]) => after.get(key) !== text).map(([key]) => key);
}

describe('editedDescription', () => {
  it('marks the first edit and counts the next ones, never past 255 characters', () => {
    expect(editedDescription('')).toBe(' (edit 1)');
    expect(editedDescription('Lists orders')).toBe('Lists orders (edit 1)');
    expect(editedDescription('Lists orders (edit 1)')).toBe('Lists orders (edit 2)');
    const long = editedDescription('x'.repeat(300));
    expect(long).toHaveLength(255);
    expect(editedDescription(long)).toHaveLength(255);
    expect(editedDescription(long).endsWith(' (edit 2)')).toBe(true);
  });
});

describe('mutateEstate', () => {
  it('changes round(share * items) items of every vendor part, and only their descriptions', async () => {
    const sim = await startVendorSim({ scale: 4 });
    try {
      const before = descriptions(sim);
      const apisBefore = sim.estate().apis;
      const result = mutateEstate(sim, { share: 0.25, seed: 7 });
      const after = descriptions(sim);
      const changed = changedKeys(before, after);

      expect(changed).toHaveLength(result.total);
      const byVendor = (vendor: string) => changed.filter((key) => key.startsWith(`${vendor}:`)).length;
      expect(result.changed).toEqual({ dlf: byVendor('dlf'), dataservice: byVendor('dataservice'), roma: byVendor('roma'), apig: byVendor('apig'), dataworks: byVendor('dataworks') });
      // Each part (workspace, edition, project) loses its own quarter, rounded.
      expect(result.changed.apig).toBe(Math.round(sim.apig.listApis().length * 0.25));
      expect(result.changed.roma).toBe(Math.round(sim.roma.apis().length * 0.25));
      for (const key of changed) expect(after.get(key)).toMatch(/ \(edit 1\)$/);
      expect(sim.estate().apis).toBe(apisBefore);
    } finally {
      await sim.close();
    }
  });

  it('picks the same items for the same seed and other items for another', async () => {
    const [a, b, c] = await Promise.all([startVendorSim({ scale: 3 }), startVendorSim({ scale: 3 }), startVendorSim({ scale: 3 })]);
    try {
      const before = descriptions(a);
      mutateEstate(a, { share: 0.1, seed: 1 });
      mutateEstate(b, { share: 0.1, seed: 1 });
      mutateEstate(c, { share: 0.1, seed: 2 });
      const changedA = changedKeys(before, descriptions(a));
      expect(changedKeys(before, descriptions(b))).toEqual(changedA);
      expect(changedKeys(before, descriptions(c))).not.toEqual(changedA);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  it('refuses a share outside 0..1 or a fractional seed, changing nothing', async () => {
    const sim = await startVendorSim();
    try {
      const before = descriptions(sim);
      for (const share of [-0.1, 1.5, Number.NaN, '0.1' as unknown as number]) expect(() => mutateEstate(sim, { share })).toThrow(RangeError);
      expect(() => mutateEstate(sim, { share: 0.1, seed: 1.5 })).toThrow(RangeError);
      expect(mutateEstate(sim, { share: 0 }).total).toBe(0);
      expect(changedKeys(before, descriptions(sim))).toEqual([]);
    } finally {
      await sim.close();
    }
  });
});

describe('POST /_sim/estate/mutate', () => {
  const mutate = (sim: VendorSim, body: unknown) =>
    fetch(`${sim.baseUrl}/_sim/estate/mutate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('is served only with admin', async () => {
    const sim = await startVendorSim();
    try {
      const before = descriptions(sim);
      expect((await mutate(sim, { share: 1 })).status).toBe(404);
      expect(changedKeys(before, descriptions(sim))).toEqual([]);
    } finally {
      await sim.close();
    }
  });

  it('edits the estate and answers what it changed; 400 on a bad share', async () => {
    const sim = await startVendorSim({ admin: true, scale: 2 });
    try {
      const before = descriptions(sim);
      const response = await mutate(sim, { share: 0.5, seed: 3 });
      expect(response.status).toBe(200);
      const result = (await response.json()) as { changed: Record<string, number>; total: number };
      expect(result.total).toBeGreaterThan(0);
      expect(changedKeys(before, descriptions(sim))).toHaveLength(result.total);

      const bad = await mutate(sim, { share: 2 });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: string }).error).toMatch(/share/);
    } finally {
      await sim.close();
    }
  });
});
