import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { CredentialRepository } from '#catalog';
import type { VendorCredential } from '#cloud-auth';
import { ConflictError, NotFoundError, ValidationError } from '../http/app-errors.js';
import { decodeCursor, toPage, type Page } from '../http/cursor.js';
import { SECRET_BOX } from '../core/tokens.js';
import type { SecretBox } from '../secrets/secret-box.js';
import { CredentialAdminRepository, type ManagedCredentialRecord } from './credential-admin.repository.js';
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

/** A credential as the admin API lists it: who manages it and which sources use it. */
export interface CredentialView extends CredentialSummary {
  managedBy: string | null;
  usedBy: { id: string; name: string }[];
}

const nameCursor = z.object({ name: z.string() });

@Injectable()
export class CredentialsService {
  constructor(
    private readonly credentials: CredentialRepository,
    private readonly admin: CredentialAdminRepository,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
  ) {}

  /** Creates the credential, or replaces its secret when one with that name exists. */
  async upsert(name: string, secret: unknown): Promise<CredentialSummary> {
    const credential = checkedSecret(secret);
    const existing = await this.credentials.findByName(name);
    if (existing) return summarize(await this.reseal(existing.id, credential));
    return summarize(await this.insert(name, credential));
  }

  /** Creates a new credential; 409 when the name is taken. */
  async create(name: string, secret: unknown): Promise<CredentialView> {
    const credential = checkedSecret(secret);
    if (await this.credentials.findByName(name)) throw new ConflictError('CREDENTIAL_EXISTS', `a credential named ${name} already exists; rotate it instead`, { name });
    return this.view((await this.insert(name, credential)).id);
  }

  /** Replaces the secret (same name, same id, so every source using it follows). */
  async rotate(idOrName: string, secret: unknown): Promise<CredentialView> {
    const credential = checkedSecret(secret);
    const row = await this.find(idOrName);
    refuseIfManaged(row, 'rotate');
    await this.reseal(row.id, credential);
    return this.view(row.id);
  }

  /** Deletes a credential no source uses; 409 naming the sources otherwise. */
  async remove(idOrName: string): Promise<CredentialView> {
    const row = await this.find(idOrName);
    refuseIfManaged(row, 'delete');
    if (row.sources.length > 0) {
      throw new ConflictError('CREDENTIAL_IN_USE', `credential ${row.name} is used by ${row.sources.map((s) => s.name).join(', ')}; point them at another credential first`, {
        sources: row.sources,
      });
    }
    await this.admin.delete(row.id);
    return toView(row);
  }

  async page(filter: { type?: string; limit: number; cursor?: string }): Promise<Page<CredentialView>> {
    const after = decodeCursor(nameCursor, filter.cursor);
    const rows = await this.admin.page({ type: filter.type, afterName: after?.name, limit: filter.limit + 1 });
    return toPage(rows, filter.limit, toView, (row) => ({ name: row.name }));
  }

  async get(idOrName: string): Promise<CredentialView> {
    return toView(await this.find(idOrName));
  }

  /**
   * Makes the stored credential equal to `secret` under `managedBy` (apivault.yaml), writing only
   * when something differs: applying the same file twice changes nothing.
   */
  async declare(name: string, secret: unknown, managedBy: string): Promise<{ credential: CredentialView; changed: boolean }> {
    const credential = checkedSecret(secret);
    const existing = await this.admin.findByName(name);
    let changed = false;
    let id: string;
    if (!existing) {
      id = (await this.insert(name, credential)).id;
      changed = true;
    } else {
      id = existing.id;
      const current = await this.resolve(existing.id).catch(() => null);
      if (!isDeepStrictEqual(current, credential)) {
        await this.reseal(existing.id, credential);
        changed = true;
      }
    }
    if (existing?.settings?.managedBy !== managedBy) {
      await this.admin.setManagedBy(id, managedBy);
      changed = true;
    }
    return { credential: await this.view(id), changed };
  }

  /** Credentials some manager (e.g. "file") declared. */
  async managedBy(manager: string): Promise<CredentialView[]> {
    return (await this.admin.managedBy(manager)).map(toView);
  }

  /** Hands a credential the file no longer declares back to the API (its secret stays). */
  async release(id: string): Promise<void> {
    await this.admin.setManagedBy(id, null);
  }

  async findIdByName(name: string): Promise<string | undefined> {
    return (await this.credentials.findByName(name))?.id;
  }

  /** A credential's id from its id or name, or undefined. */
  async findId(idOrName: string): Promise<string | undefined> {
    const byId = z.uuid().safeParse(idOrName).success ? await this.credentials.findById(idOrName) : null;
    return byId?.id ?? (await this.findIdByName(idOrName));
  }

  /** Decrypts for a run; the result lives in memory only for that run. */
  async resolve(id: string): Promise<VendorCredential> {
    const row = await this.credentials.findById(id);
    if (!row) throw new NotFoundError('credential', id);
    return parseVendorCredential(JSON.parse(this.box.open(row.ciphertext, credentialAad(row.id), row.keyId).toString('utf8')));
  }

  private insert(name: string, credential: VendorCredential) {
    const id = randomUUID();
    return this.credentials.create({ id, name, type: credential.type, keyId: this.box.keyId, ciphertext: this.seal(id, credential) });
  }

  private reseal(id: string, credential: VendorCredential) {
    return this.credentials.replaceSecret(id, { type: credential.type, keyId: this.box.keyId, ciphertext: this.seal(id, credential) });
  }

  private seal(id: string, credential: VendorCredential): Uint8Array<ArrayBuffer> {
    return new Uint8Array(this.box.seal(Buffer.from(JSON.stringify(credential), 'utf8'), credentialAad(id)));
  }

  private async view(id: string): Promise<CredentialView> {
    const row = await this.admin.findById(id);
    if (!row) throw new NotFoundError('credential', id);
    return toView(row);
  }

  private async find(idOrName: string): Promise<ManagedCredentialRecord> {
    const byId = z.uuid().safeParse(idOrName).success ? await this.admin.findById(idOrName) : null;
    const row = byId ?? (await this.admin.findByName(idOrName));
    if (!row) throw new NotFoundError('credential', idOrName);
    return row;
  }
}

/** The associated data that binds a sealed credential to its row (see SecretBox). */
export function credentialAad(id: string): string {
  return `credential:${id}`;
}

function checkedSecret(secret: unknown): VendorCredential {
  try {
    return parseVendorCredential(secret);
  } catch (error) {
    throw new ValidationError((error as Error).message);
  }
}

function refuseIfManaged(row: ManagedCredentialRecord, action: string): void {
  if (row.settings?.managedBy) {
    throw new ConflictError('MANAGED_BY_FILE', `credential ${row.name} is declared in the configuration file; ${action} it there and apply the file`, {
      managedBy: row.settings.managedBy,
    });
  }
}

function summarize(row: CredentialSummary): CredentialSummary {
  return { id: row.id, name: row.name, type: row.type, keyId: row.keyId, createdAt: row.createdAt, updatedAt: row.updatedAt };
}

function toView(row: ManagedCredentialRecord): CredentialView {
  return { ...summarize(row), managedBy: row.settings?.managedBy ?? null, usedBy: row.sources };
}
