export { IamState, DEFAULT_TOKEN_VALIDITY_SECONDS, type IamUser, type IssuedToken, type TokenVerdict } from './iam-state.js';
export { DEFAULT_PROJECT_NAME } from './default-iam-user.js';
export { IAM_TOKENS_PATH, IAM_TOKENS_ROUTE } from './iam-token-route.js';
