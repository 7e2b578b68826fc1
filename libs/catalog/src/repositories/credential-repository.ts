import type { Prisma, PrismaClient } from '../generated/prisma/client.js';

export type CredentialRecord = Prisma.CredentialGetPayload<object>;

/** Rows hold only ciphertext; encryption and decryption happen in the service that owns the key. */
export class CredentialRepository {
  constructor(private readonly prisma: PrismaClient) {}

  findById(id: string): Promise<CredentialRecord | null> {
    return this.prisma.credential.findUnique({ where: { id } });
  }

  findByName(name: string): Promise<CredentialRecord | null> {
    return this.prisma.credential.findUnique({ where: { name } });
  }

  create(data: { id: string; name: string; type: string; keyId: string; ciphertext: Uint8Array<ArrayBuffer> }): Promise<CredentialRecord> {
    return this.prisma.credential.create({ data });
  }

  replaceSecret(id: string, data: { type: string; keyId: string; ciphertext: Uint8Array<ArrayBuffer> }): Promise<CredentialRecord> {
    return this.prisma.credential.update({ where: { id }, data });
  }
}
