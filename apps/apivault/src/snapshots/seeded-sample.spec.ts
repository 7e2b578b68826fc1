import { sampleIndices } from './seeded-sample.js';

describe('sampleIndices', () => {
  it('takes everything at 100%', () => {
    expect(sampleIndices(5, 100, 1)).toEqual([0, 1, 2, 3, 4]);
  });

  it('takes ceil(n * pct / 100) distinct indices, at least one', () => {
    const picked = sampleIndices(1000, 2.5, 42);
    expect(picked).toHaveLength(25);
    expect(new Set(picked).size).toBe(25);
    expect(picked.every((i) => i >= 0 && i < 1000)).toBe(true);
    expect(sampleIndices(10, 1, 7)).toHaveLength(1);
    expect(sampleIndices(0, 10, 7)).toEqual([]);
  });

  it('is reproducible from its seed and differs between seeds', () => {
    expect(sampleIndices(500, 10, 1234)).toEqual(sampleIndices(500, 10, 1234));
    expect(sampleIndices(500, 10, 1234)).not.toEqual(sampleIndices(500, 10, 4321));
  });
});
