/**
 * Errors the archive raises. Each names the object key involved (never a credential) so an
 * operator can find the object; callers branch on the class, not on the message.
 */
export class ArchiveError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The key is not a safe object name: it could escape the archive root or hide among temp files. */
export class InvalidArchiveKeyError extends ArchiveError {
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`invalid archive key ${JSON.stringify(key)}: ${reason}`);
  }
}

export class ArchiveObjectMissingError extends ArchiveError {
  constructor(readonly key: string) {
    super(`archive object ${key} does not exist`);
  }
}

/**
 * What is stored under a key is not what should be there. Raised after a write (the store
 * mangled the bytes, or the key already held other content) and never repaired automatically:
 * the archive is write-once, so an operator decides what to do with the object.
 * `actualSha256` is absent when only the size was checked.
 */
export class ArchiveIntegrityError extends ArchiveError {
  constructor(
    readonly key: string,
    readonly expectedSha256: string,
    readonly actualSha256: string | undefined,
    readonly expectedSize: number,
    readonly actualSize: number,
  ) {
    const actual = actualSha256 === undefined ? 'a different object' : `sha256 ${actualSha256}`;
    super(
      `archive object ${key} is corrupt: expected sha256 ${expectedSha256} (${expectedSize} bytes), ` +
        `found ${actual} (${actualSize} bytes)`,
    );
  }
}

/** A spooled body grew past its limit; the partial temp file has already been removed. */
export class SpoolLimitExceededError extends ArchiveError {
  constructor(readonly maxBytes: number) {
    super(`body exceeds the ${maxBytes}-byte limit; spooling aborted`);
  }
}

/** The storage cannot be reached or written to right now (readiness probe failures). */
export class ArchiveUnavailableError extends ArchiveError {}

/** An environment variable configuring the archive is missing or invalid. */
export class ArchiveConfigError extends ArchiveError {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable} ${problem}`);
  }
}

/**
 * An encrypted object could not be decrypted: wrong or missing key, or bytes altered, moved to
 * another key, truncated or reordered (AES-GCM authenticates every chunk and the header).
 */
export class ArchiveDecryptionError extends ArchiveError {}
