import type { Request, Response } from 'express';
import { sendHuaweiError } from '../huawei/errors.js';
import { DLM_TYPES, isOneOf, type DlmType } from './dataservice-api.js';
import { sendDataServiceError } from './dataservice-errors.js';
import { DEFAULT_DLM_TYPE, type DataServiceState } from './dataservice-state.js';

export interface DataServiceRequestContext {
  workspace: string;
  dlmType: DlmType;
}

/**
 * What every DataService call checks first: the project in the path, the `workspace` header
 * (required, DLS.1000 when missing or unknown) and `Dlm-Type` (SHARED | EXCLUSIVE, absent =
 * SHARED). Answers the error itself and returns undefined when the call cannot go on.
 */
export function dataServiceRequestContext(req: Request, res: Response, projectId: string, state: DataServiceState): DataServiceRequestContext | undefined {
  if (req.params.projectId !== projectId) {
    sendHuaweiError(res, 'apiNotFound', 'The API does not exist or has not been published in the environment');
    return undefined;
  }
  const workspace = req.get('workspace');
  if (workspace === undefined || workspace.trim() === '') {
    sendHuaweiError(res, 'workspaceNotFound', 'The workspace header is required');
    return undefined;
  }
  if (!state.hasWorkspace(workspace)) {
    sendHuaweiError(res, 'workspaceNotFound', 'Workspace does not exists');
    return undefined;
  }
  const dlmType = req.get('dlm-type');
  if (dlmType !== undefined && dlmType !== '' && !isOneOf(DLM_TYPES, dlmType)) {
    sendDataServiceError(res, 'invalidParameter', `Invalid parameter: Dlm-Type must be SHARED or EXCLUSIVE, got ${JSON.stringify(dlmType)}`);
    return undefined;
  }
  return { workspace, dlmType: dlmType === undefined || dlmType === '' ? DEFAULT_DLM_TYPE : dlmType };
}
