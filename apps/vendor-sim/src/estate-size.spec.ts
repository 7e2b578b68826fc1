import { estateSize, scaleForApis } from './estate-size.js';
import { startVendorSim, type VendorSim } from './index.js';

/** What the running simulator holds, in the shape of EstateSize. */
function seeded(sim: VendorSim) {
  const { vendors, apis } = sim.estate();
  return {
    dlf: { connections: vendors.dlf.connections },
    apig: { apis: vendors.apig.apis, groups: vendors.apig.groups },
    roma: { apis: vendors.roma.apis },
    dataservice: { apis: vendors.dataservice.apis },
    dataworks: { apis: vendors.dataworks.apis },
    apis,
  };
}

describe('estate size per scale', () => {
  it('is a few dozen items per vendor at scale 1, as the simulator seeds them', async () => {
    const sim = await startVendorSim({ scale: 1 });
    try {
      expect(seeded(sim)).toEqual(estateSize(1));
    } finally {
      await sim.close();
    }
    expect(estateSize(1)).toEqual({
      dlf: { connections: 16 },
      apig: { apis: 30, groups: 3 },
      roma: { apis: 21 },
      dataservice: { apis: 40 },
      dataworks: { apis: 50 },
      apis: 141,
    });
  });

  it('reaches 100,000 APIs at scale 710, and the simulator seeds exactly that (counting, not rendering)', async () => {
    expect(scaleForApis(100_000)).toBe(710);
    expect(estateSize(709).apis).toBeLessThan(100_000);
    const sim = await startVendorSim({ scale: 710 });
    try {
      expect(seeded(sim)).toEqual(estateSize(710));
      expect(sim.estate().apis).toBeGreaterThanOrEqual(100_000);
    } finally {
      await sim.close();
    }
  }, 120_000);

  it('refuses a negative scale', () => {
    expect(() => estateSize(-1)).toThrow(RangeError);
  });
});
