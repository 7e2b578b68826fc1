/** The public half of the snapshot signing key, as the API and CLI show it. */
export interface SigningKeyView {
  algorithm: 'Ed25519';
  pem: string;
  fingerprint: string;
}
