import { DEFAULT_DLF_WORKSPACE, SECONDARY_DLF_WORKSPACE, type VendorSim } from '#vendor-sim';
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
    {
      credentialName: 'demo-huawei-dataservice',
      credential: { type: 'huawei-aksk', accessKeyId: sim.credentials.accessKeyId, secretAccessKey: sim.credentials.secretAccessKey },
      source: {
        name: 'demo-dataservice-apis',
        kind: 'huawei.dataarts.dataservice',
        config: { endpoint: sim.baseUrl, projectId: sim.projectId, workspace: DEFAULT_DLF_WORKSPACE, dlmType: 'EXCLUSIVE' },
        credentialName: 'demo-huawei-dataservice',
      },
    },
    {
      // An IAM user's password: apivault logs in at the sim's IAM and uses the token it gets.
      credentialName: 'demo-huawei-password',
      credential: {
        type: 'huawei-password',
        iamEndpoint: sim.baseUrl,
        domainName: sim.iam.users()[0].domainName,
        userName: sim.iam.users()[0].userName,
        password: sim.iam.users()[0].password,
        projectName: sim.projectName,
      },
      source: {
        name: 'demo-roma-livedata',
        kind: 'huawei.roma.livedata',
        config: { endpoint: sim.baseUrl, projectId: sim.projectId, instanceId: sim.roma.instanceId },
        credentialName: 'demo-huawei-password',
      },
    },
    {
      credentialName: 'demo-huawei-apig',
      credential: { type: 'huawei-aksk', accessKeyId: sim.credentials.accessKeyId, secretAccessKey: sim.credentials.secretAccessKey },
      source: {
        name: 'demo-apig-apis',
        kind: 'huawei.apig',
        config: { endpoint: sim.baseUrl, projectId: sim.projectId, instanceId: sim.apig.instanceId },
        credentialName: 'demo-huawei-apig',
      },
    },
    {
      // An Alibaba Cloud AccessKey: V3 signatures (ACS3-HMAC-SHA256), every workspace of the tenant.
      credentialName: 'demo-aliyun-ak',
      credential: { type: 'aliyun-ak', accessKeyId: sim.aliyunCredentials.accessKeyId, accessKeySecret: sim.aliyunCredentials.accessKeySecret },
      source: {
        name: 'demo-dataworks-apis',
        kind: 'aliyun.dataworks.dataservice',
        config: { endpoint: sim.baseUrl, projects: sim.dataworks.listProjects().map((p) => p.projectId) },
        credentialName: 'demo-aliyun-ak',
      },
    },
  ];
}
