import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { applyFaults, sendAnswer, type FaultyRoute, type InjectedErrorSender, type RouteAnswer } from '../fault-answers.js';
import type { FaultInjector } from '../faults.js';
import { iamId, type IamState, type IssuedToken } from './iam-state.js';

/** Route id for fault injection. */
export const IAM_TOKENS_ROUTE = 'iam.tokens';
export const IAM_TOKENS_PATH = '/v3/auth/tokens';

export interface IamTokenRouteDeps {
  iam: IamState;
  faults: FaultInjector;
  projectId: string;
  /** The project name a token may be scoped to, besides the id: the region name. */
  projectName: string;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** IAM answers in Keystone's shape: `{"error":{"code","message","title"}}` (confirmed for 401). */
function sendIamError(res: Response, status: number, message: string): void {
  res
    .status(status)
    .set('X-Request-Id', randomUUID().replace(/-/g, ''))
    .json({ error: { code: status, message, title: TITLES[status] ?? 'Error' } });
}

const sendInjectedIamError: InjectedErrorSender = (res, { status }) =>
  sendIamError(res, status, status === 401 ? 'The request you have made requires authentication.' : `Injected ${status}`);

const IAM_ROUTE: FaultyRoute = { id: IAM_TOKENS_ROUTE, sendError: sendInjectedIamError };

/** IAM's timestamps have microseconds: `2024-01-05T13:57:31.412000Z`. */
function iamTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

interface PasswordLogin {
  domainName: string;
  userName: string;
  password: string;
  project: { id?: string; name?: string };
}

type Parsed = { ok: true; login: PasswordLogin } | { ok: false; message: string };

function field(value: unknown, path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function parseLogin(raw: Buffer): Parsed {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return { ok: false, message: 'The request body is not valid JSON.' };
  }
  const methods = field(body, ['auth', 'identity', 'methods']);
  if (!Array.isArray(methods) || !methods.includes('password')) {
    return { ok: false, message: "Invalid input for field 'identity/methods': only 'password' is emulated." };
  }
  const text = (path: string[]) => {
    const value = field(body, ['auth', 'identity', 'password', 'user', ...path]);
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const userName = text(['name']);
  const password = text(['password']);
  const domainName = text(['domain', 'name']);
  for (const [name, value] of [['user/name', userName], ['user/password', password], ['user/domain/name', domainName]] as const) {
    if (value === undefined) return { ok: false, message: `Invalid input for field 'identity/password/${name}': a non-empty string is required.` };
  }
  const project = field(body, ['auth', 'scope', 'project']) as { id?: unknown; name?: unknown } | undefined;
  const id = typeof project?.id === 'string' ? project.id : undefined;
  const name = typeof project?.name === 'string' ? project.name : undefined;
  if (id === undefined && name === undefined) {
    return { ok: false, message: "Invalid input for field 'scope/project': a project id or name is required (only project-scoped tokens are emulated)." };
  }
  return { ok: true, login: { domainName: domainName!, userName: userName!, password: password!, project: { id, name } } };
}

function tokenBody(token: IssuedToken, deps: IamTokenRouteDeps, catalogUrl: string | undefined) {
  const domain = { id: iamId('domain', token.user.domainName), name: token.user.domainName };
  const body: Record<string, unknown> = {
    expires_at: iamTime(token.expiresAt),
    issued_at: iamTime(token.issuedAt),
    methods: ['password'],
    domain,
    project: { id: deps.projectId, name: deps.projectName, domain },
    roles: [{ id: iamId('role', 'te_admin'), name: 'te_admin' }],
    user: { id: iamId('user', token.user.domainName, token.user.userName), name: token.user.userName, domain, password_expires_at: '' },
  };
  if (catalogUrl !== undefined) {
    // A short catalog naming the simulator as every emulated service's endpoint.
    body.catalog = ['iam', 'apig', 'roma', 'dayu', 'dayu-dlf'].map((type) => ({
      type,
      name: type,
      id: iamId('service', type),
      endpoints: [{ id: iamId('endpoint', type), interface: 'public', region: deps.projectName, region_id: deps.projectName, url: catalogUrl }],
    }));
  }
  return { token: body };
}

/**
 * `POST /v3/auth/tokens` of IAM ("Obtaining a User Token Through Password Authentication"): a
 * password identity scoped to the simulator's project (by id or name) gets 201, the token in
 * `X-Subject-Token` and its details in the body; anything else IAM's 400 or 401. It is mounted
 * before the gateway's authentication, since it is how a client gets authenticated.
 */
export function iamTokenRouter(deps: IamTokenRouteDeps): Router {
  const router = Router();
  router.post(IAM_TOKENS_PATH, async (req: Request, res: Response) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const parsed = parseLogin(raw);
    if (!parsed.ok) return sendIamError(res, 400, parsed.message);
    const { login } = parsed;
    const user = deps.iam.authenticate(login.domainName, login.userName, login.password);
    if (!user) return sendIamError(res, 401, 'The username or password is wrong.');
    const projectKnown = login.project.id !== undefined ? login.project.id === deps.projectId : login.project.name === deps.projectName;
    // Keystone answers a scope the user has no role on like a failed login (our decision for the sim's one project).
    if (!projectKnown) return sendIamError(res, 401, 'The request you have made requires authentication.');

    let token: IssuedToken | undefined;
    const healthy = (): RouteAnswer => {
      token ??= deps.iam.issue(user);
      const withCatalog = req.query.nocatalog === undefined;
      const body = tokenBody(token, deps, withCatalog ? `${req.protocol}://${req.get('host')}` : undefined);
      return {
        status: 201,
        headers: {
          'Content-Type': 'application/json;charset=UTF-8',
          'X-Subject-Token': token.value,
          'X-Request-Id': randomUUID().replace(/-/g, ''),
        },
        body: Buffer.from(JSON.stringify(body)),
      };
    };
    const outcome = await applyFaults(deps.faults, IAM_ROUTE, req, res, healthy);
    if (outcome.served) return;
    sendAnswer(res, healthy());
  });
  return router;
}
