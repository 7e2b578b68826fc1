import { DLF_CONNECTION_TYPES, MASKED_PASSWORD, PLANTED_SECRET_PREFIX } from './dlf-connection.js';
import { generateDlfConnections } from './connection-generator.js';

describe('generateDlfConnections', () => {
  it('is deterministic for a seed and scale', () => {
    expect(generateDlfConnections(42, 1)).toEqual(generateDlfConnections(42, 1));
    expect(generateDlfConnections(42, 1)).not.toEqual(generateDlfConnections(43, 1));
  });

  it.each([1, 2, 3, 5, 42, 1234])('covers every type and every password exposure at scale 1 (seed %i)', (seed) => {
    const connections = generateDlfConnections(seed, 1);
    expect(connections).toHaveLength(12);
    expect(new Set(connections.map((c) => c.type))).toEqual(new Set(DLF_CONNECTION_TYPES));
    const passwords = connections.map((c) => c.config.password);
    expect(passwords).toContain(MASKED_PASSWORD);
    expect(passwords.filter((p) => typeof p === 'string' && p.startsWith(PLANTED_SECRET_PREFIX)).length).toBeGreaterThan(0);
    expect(connections.filter((c) => ['DWS', 'RDS', 'HOST', 'HIVE', 'SparkSQL'].includes(c.type) && !('password' in c.config)).length).toBeGreaterThan(0);
    expect(new Set(connections.map((c) => c.name)).size).toBe(12);
  });

  it('scales the count as round(12 * scale)', () => {
    expect(generateDlfConnections(1, 0.5)).toHaveLength(6);
    expect(generateDlfConnections(1, 10)).toHaveLength(120);
  });
});
