import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CredentialRepository } from '#catalog';
import type { VendorCredential } from '#cloud-auth';
import { NotFoundError, ValidationError } from '../http/app-errors.js';
import { SECRET_BOX } from '../core/tokens.js';
import type { SecretBox } from '../secrets/secret-box.js';
import { parseVendorCredential } from './credential-secret.js';

/** What the API and the CLI may show of a credential: never the secret. */
export interface CredentialSummary {
  id: string;
  name: string;
  type: string;
  keyId: string;
  createdAt: Date;
  updatedAt: Date;
}

@Injectable()
export class CredentialsService {
  constructor(
    private readonly credentials: CredentialRepository,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
  ) {}

  /** Creates the credential, or replaces its secret when one with that name exists. */
  async upsert(name: string, secret: unknown): Promise<CredentialSummary> {
    let credential: VendorCredential;
    try {
      credential = parseVendorCredential(secret);
    } catch (error) {
      throw new ValidationError((error as Error).message);
    }
    const plaintext = Buffer.from(JSON.stringify(credential), 'utf8');
    const existing = await this.credentials.findByName(name);
    if (existing) {
      const ciphertext = new Uint8Array(this.box.seal(plaintext, aad(existing.id)));
      return summarize(await this.credentials.replaceSecret(existing.id, { type: credential.type, keyId: this.box.keyId, ciphertext }));
    }
    const id = randomUUID();
    const ciphertext = new Uint8Array(this.box.seal(plaintext, aad(id)));
    return summarize(await this.credentials.create({ id, name, type: credential.type, keyId: this.box.keyId, ciphertext }));
  }

  async findIdByName(name: string): Promise<string | undefined> {
    return (await this.credentials.findByName(name))?.id;
  }

  /** Decrypts for a run; the result lives in memory only for that run. */
  async resolve(id: string): Promise<VendorCredential> {
    const row = await this.credentials.findById(id);
    if (!row) throw new NotFoundError('credential', id);
    return parseVendorCredential(JSON.parse(this.box.open(row.ciphertext, aad(row.id), row.keyId).toString('utf8')));
  }
}

function aad(id: string): string {
  return `credential:${id}`;
}

function summarize(row: CredentialSummary): CredentialSummary {
  return { id: row.id, name: row.name, type: row.type, keyId: row.keyId, createdAt: row.createdAt, updatedAt: row.updatedAt };
}
