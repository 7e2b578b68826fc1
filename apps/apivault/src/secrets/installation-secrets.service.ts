import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { SecretRedactor } from '#catalog-model';
import { SettingsRepository } from '#catalog';
import { SECRET_BOX } from '../core/tokens.js';
import type { SecretBox } from './secret-box.js';

const REDACTION_SALT = 'redaction-salt';

/**
 * The salt behind redacted catalog values lives in the database, sealed by the master key, so
 * that every replica hashes a secret to the same marker (otherwise each would see "changes").
 */
@Injectable()
export class InstallationSecretsService {
  private redactor?: Promise<SecretRedactor>;

  constructor(
    private readonly settings: SettingsRepository,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
  ) {}

  secretRedactor(): Promise<SecretRedactor> {
    this.redactor ??= this.loadRedactor().catch((error: unknown) => {
      this.redactor = undefined;
      throw error;
    });
    return this.redactor;
  }

  private async loadRedactor(): Promise<SecretRedactor> {
    const stored = await this.settings.getOrCreate<{ keyId: string; sealed: string }>(REDACTION_SALT, () => ({
      keyId: this.box.keyId,
      sealed: this.box.seal(randomBytes(32), `setting:${REDACTION_SALT}`).toString('base64'),
    }));
    const salt = this.box.open(Buffer.from(stored.sealed, 'base64'), `setting:${REDACTION_SALT}`, stored.keyId);
    return new SecretRedactor(salt);
  }
}
