import type { Role } from './roles.js';

/** Who a request acts as: the token that authenticated it. */
export interface Principal {
  tokenId: string;
  name: string;
  role: Role;
  prefix: string;
}
