import { generateRomaEstate } from './roma-generator.js';
import { LIVEDATA_SCRIPT_TYPES, LIVEDATA_STATUSES, PLANTED_ROMA_SECRET_PREFIX } from './roma-model.js';
import { assertValidApi } from './roma-state.js';
import { seedRoma } from './seed-roma.js';

describe('generateRomaEstate', () => {
  it('is deterministic for a seed and scale', () => {
    expect(generateRomaEstate(42, 1)).toEqual(generateRomaEstate(42, 1));
    expect(generateRomaEstate(42, 1)).not.toEqual(generateRomaEstate(43, 1));
  });

  it('holds 21 backends in 3 applications of 7, one empty application and 2 signature keys at scale 1', () => {
    const estate = generateRomaEstate(42, 1);
    expect(estate.apis).toHaveLength(21);
    expect(estate.apps).toHaveLength(4);
    expect(estate.signatures).toHaveLength(2);
    const perApp = estate.apps.map((app) => estate.apis.filter((api) => api.appId === app.id).length);
    expect(perApp).toEqual([7, 7, 7, 0]);
  });

  it('grows linearly with the scale', () => {
    for (const scale of [2, 10]) {
      const estate = generateRomaEstate(7, scale);
      expect(estate.apis).toHaveLength(21 * scale);
      expect(estate.apps).toHaveLength(3 * scale + 1);
      expect(estate.signatures).toHaveLength(2 * scale);
    }
    expect(generateRomaEstate(7, 0.5).apis).toHaveLength(11);
  });

  it.each([1, 2, 3, 42, 1234])('covers every status, script type, signed and unsigned backends at scale 1 (seed %i)', (seed) => {
    const { apis, signatures, apps } = generateRomaEstate(seed, 1);
    expect(new Set(apis.map((a) => a.status))).toEqual(new Set(LIVEDATA_STATUSES));
    expect(new Set(apis.flatMap((a) => a.scripts.map((s) => s.type)))).toEqual(new Set(LIVEDATA_SCRIPT_TYPES));
    expect(apis.some((a) => a.signatureId !== null)).toBe(true);
    expect(apis.some((a) => a.signatureId === null)).toBe(true);
    expect(apis.some((a) => a.scripts.length > 1)).toBe(true);
    expect(apis.some((a) => a.path.includes('{id}'))).toBe(true);
    expect(apis.some((a) => a.requestBody !== null)).toBe(true);
    expect(signatures.every((s) => s.secret.startsWith(PLANTED_ROMA_SECRET_PREFIX))).toBe(true);
    expect(apps.every((a) => a.appSecret.startsWith(PLANTED_ROMA_SECRET_PREFIX))).toBe(true);
    for (const api of apis) assertValidApi(api);
  });

  it('makes an estate the state accepts (unique names, unique method + path)', () => {
    const roma = seedRoma(99, 5);
    expect(roma.counts()).toEqual({ apps: 16, signatures: 10, apis: 105 });
    const keys = roma.apis().map((a) => `${a.method} ${a.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
