export * from './credentials.js';
export * from './http-request-to-sign.js';
export * from './huawei-sdk-date.js';
export * from './huawei-canonical-request.js';
export * from './huawei-signer.js';
export * from './huawei-verifier.js';
export * from './huawei-authorize.js';
export * from './huawei-request-authorizer.js';
