import type { Connector } from './connector.js';
import { ConfigError } from './errors.js';
import { DlfConnectionsConnector } from './huawei.dataarts.dlf.connections/dlf-connections-connector.js';
import { ApigConnector } from './huawei.apig/apig-connector.js';
import { RomaLiveDataConnector } from './huawei.roma.livedata/roma-livedata-connector.js';
import { DataServiceConnector } from './huawei.dataarts.dataservice/dataservice-connector.js';
import { DataWorksConnector } from './aliyun.dataworks.dataservice/dataworks-connector.js';

/** The source kinds this installation can back up, by kind. The core looks connectors up here only. */
export class ConnectorRegistry {
  private readonly byKind = new Map<string, Connector<unknown>>();

  register(connector: Connector<unknown>): this {
    if (this.byKind.has(connector.kind)) throw new Error(`connector kind "${connector.kind}" is registered twice`);
    this.byKind.set(connector.kind, connector);
    return this;
  }

  get(kind: string): Connector<unknown> {
    const connector = this.byKind.get(kind);
    if (!connector) {
      const known = this.kinds();
      throw new ConfigError(`unknown source kind "${kind}"; known kinds: ${known.length > 0 ? known.join(', ') : '(none)'}`);
    }
    return connector;
  }

  kinds(): string[] {
    return [...this.byKind.keys()].sort();
  }
}

/** Adding a vendor: its folder, and one line here. */
export function defaultConnectorRegistry(): ConnectorRegistry {
  return new ConnectorRegistry()
    .register(new DlfConnectionsConnector())
    .register(new DataServiceConnector())
    .register(new RomaLiveDataConnector())
    .register(new ApigConnector())
    .register(new DataWorksConnector());
}
