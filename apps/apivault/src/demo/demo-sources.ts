import { SECONDARY_DLF_WORKSPACE, type VendorSim } from '#vendor-sim';
import type { SourceDefinition } from '../sources/sources.service.js';

export interface DemoSource {
  credentialName: string;
  credential: Record<string, string>;
  source: SourceDefinition;
}

/**
 * The sources the demo backs up against its vendor-sim: one per connector kind and auth style.
 * Their endpoints change with the sim's random port; upserting by name keeps the history.
 */
export function demoSources(sim: VendorSim): DemoSource[] {
  return [
    {
      credentialName: 'demo-huawei-aksk',
      credential: { type: 'huawei-aksk', accessKeyId: sim.credentials.accessKeyId, secretAccessKey: sim.credentials.secretAccessKey },
      source: {
        name: 'demo-dlf-connections',
        kind: 'huawei.dataarts.dlf.connections',
        config: { endpoint: sim.baseUrl, projectId: sim.projectId },
        credentialName: 'demo-huawei-aksk',
      },
    },
    {
      credentialName: 'demo-huawei-token',
      credential: { type: 'huawei-token', token: sim.credentials.token },
      source: {
        name: 'demo-dlf-connections-token',
        kind: 'huawei.dataarts.dlf.connections',
        config: { endpoint: sim.baseUrl, projectId: sim.projectId, workspace: SECONDARY_DLF_WORKSPACE },
        credentialName: 'demo-huawei-token',
      },
    },
  ];
}
