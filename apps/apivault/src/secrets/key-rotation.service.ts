import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DATABASE, LOGGER, SECRET_BOX } from '../core/tokens.js';
import type { Database } from '#catalog';
import { credentialAad } from '../credentials/credentials.service.js';
import type { SecretBox } from './secret-box.js';

export interface KeyRotationReport {
  keyId: string;
  credentials: { resealed: number; alreadyCurrent: number };
  settings: { resealed: number; alreadyCurrent: number };
}

/** A setting holding a secret sealed under the master key (e.g. the redaction salt). */
interface SealedSetting {
  keyId: string;
  sealed: string;
}

function isSealedSetting(value: unknown): value is SealedSetting {
  return typeof value === 'object' && value !== null && typeof (value as SealedSetting).keyId === 'string' && typeof (value as SealedSetting).sealed === 'string';
}

/**
 * `apivault keys rotate`: re-seals every credential and every sealed setting under the current
 * master key, opening them with the previous one(s). All or nothing, in one transaction: a
 * secret that cannot be opened stops the rotation before anything is written.
 */
@Injectable()
export class KeyRotationService {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async rotate(): Promise<KeyRotationReport> {
    const prisma = this.db.prisma;
    const report: KeyRotationReport = { keyId: this.box.keyId, credentials: { resealed: 0, alreadyCurrent: 0 }, settings: { resealed: 0, alreadyCurrent: 0 } };
    await prisma.$transaction(async (tx) => {
      const credentials = await tx.credential.findMany({ select: { id: true, name: true, keyId: true, ciphertext: true }, orderBy: { name: 'asc' } });
      const settings = (await tx.setting.findMany()).filter((row) => isSealedSetting(row.value));
      const unreadable = [
        ...credentials.filter((c) => !this.box.canOpen(c.keyId)).map((c) => `credential ${c.name} (key ${c.keyId})`),
        ...settings.filter((s) => !this.box.canOpen((s.value as unknown as SealedSetting).keyId)).map((s) => `setting ${s.key} (key ${(s.value as unknown as SealedSetting).keyId})`),
      ];
      if (unreadable.length > 0) {
        throw new Error(`cannot open ${unreadable.join(', ')}: give the key that sealed them with --old-key-file or APIVAULT_MASTER_KEY_PREVIOUS; nothing was changed`);
      }
      for (const credential of credentials) {
        if (credential.keyId === this.box.keyId) {
          report.credentials.alreadyCurrent++;
          continue;
        }
        const plaintext = this.box.open(credential.ciphertext, credentialAad(credential.id), credential.keyId);
        const ciphertext = new Uint8Array(this.box.seal(plaintext, credentialAad(credential.id)));
        plaintext.fill(0);
        await tx.credential.update({ where: { id: credential.id }, data: { keyId: this.box.keyId, ciphertext } });
        report.credentials.resealed++;
      }
      for (const setting of settings) {
        const value = setting.value as unknown as SealedSetting;
        if (value.keyId === this.box.keyId) {
          report.settings.alreadyCurrent++;
          continue;
        }
        const aad = `setting:${setting.key}`;
        const plaintext = this.box.open(Buffer.from(value.sealed, 'base64'), aad, value.keyId);
        const sealed = this.box.seal(plaintext, aad).toString('base64');
        plaintext.fill(0);
        await tx.setting.update({ where: { key: setting.key }, data: { value: { ...value, keyId: this.box.keyId, sealed } } });
        report.settings.resealed++;
      }
    });
    this.logger.warn({ keyId: report.keyId, credentials: report.credentials, settings: report.settings }, 'master key rotated: secrets re-sealed under the current key');
    return report;
  }
}
