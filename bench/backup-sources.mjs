// The sources of the backup benchmark: every part of a vendor-sim estate, one source per export
// apivault makes (both DLF workspaces, both DataService workspaces in both editions, the ROMA
// instance, the APIG instance, every DataWorks workspace). Shared by bench/backup-bench.mjs (which
// registers them with `apivault sources add`) and bench/backup-baseline.mjs (same calls, no parsing).

/**
 * The connectors' own politeness limits (DataService 1 export/s, APIG 5 calls/s...) would make both
 * sides wait the same seconds against a local simulator and hide what each one costs: the bench
 * lifts them for apivault and the baseline alike (the highest limit a source may set).
 */
export const BENCH_RATE_LIMIT = { perSecond: 1000, concurrency: 4 };

/**
 * @param sim the JSON line `vendor-sim` prints at start, plus `dataworksProjects` (ids)
 * @returns credentials (name -> secret JSON) and sources ({name, kind, config, credential})
 */
export function benchSources(sim, dataworksProjects) {
  const huawei = { endpoint: sim.baseUrl, projectId: sim.projectId, rateLimit: BENCH_RATE_LIMIT };
  const credentials = {
    'bench-huawei': { type: 'huawei-aksk', accessKeyId: sim.accessKeyId, secretAccessKey: sim.secretAccessKey },
    'bench-aliyun': { type: 'aliyun-ak', accessKeyId: sim.aliyunKeys[0].accessKeyId, accessKeySecret: sim.aliyunKeys[0].accessKeySecret },
  };
  const sources = [
    ...sim.dlfWorkspaces.map((workspace, i) => ({ name: `dlf-${i + 1}`, kind: 'huawei.dataarts.dlf.connections', config: { ...huawei, workspace }, credential: 'bench-huawei' })),
    ...sim.dataServiceWorkspaces.flatMap((workspace, i) =>
      ['SHARED', 'EXCLUSIVE'].map((dlmType) => ({
        name: `dataservice-${i + 1}-${dlmType.toLowerCase()}`,
        kind: 'huawei.dataarts.dataservice',
        config: { ...huawei, workspace, dlmType },
        credential: 'bench-huawei',
      })),
    ),
    { name: 'roma', kind: 'huawei.roma.livedata', config: { ...huawei, instanceId: sim.romaInstanceId }, credential: 'bench-huawei' },
    { name: 'apig', kind: 'huawei.apig', config: { ...huawei, instanceId: sim.apigInstanceId }, credential: 'bench-huawei' },
    { name: 'dataworks', kind: 'aliyun.dataworks.dataservice', config: { endpoint: sim.baseUrl, projects: dataworksProjects, rateLimit: BENCH_RATE_LIMIT }, credential: 'bench-aliyun' },
  ];
  return { credentials, sources };
}
