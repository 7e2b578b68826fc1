/**
 * Why a zip entry name could escape the folder it is extracted to, or null when it is safe.
 * We never extract to disk today, but names travel on (locators, restore bundles, downloads),
 * so an archive that tries any of this is refused, not cleaned up.
 */
export function unsafeZipEntryNameReason(name: string): string | null {
  if (name.length === 0) return 'empty name';
  if (name.includes('\0')) return 'NUL character in name';
  if (name.includes('\\')) return 'backslash in name';
  if (name.startsWith('/')) return 'absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'drive-letter path';
  if (name.split('/').includes('..')) return "'..' path segment";
  return null;
}

/** Entry names go into messages and logs: control characters are shown escaped, never raw. */
export function printableEntryName(name: string): string {
  return name.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Unix file type bits live in the high 16 bits of the external attributes when made on Unix. */
const MADE_ON_UNIX = 3;
const UNIX_FILE_TYPE_MASK = 0o170000;
const UNIX_SYMLINK = 0o120000;

export function isUnixSymlinkEntry(entry: { versionMadeBy: number; externalFileAttributes: number }): boolean {
  if (entry.versionMadeBy >>> 8 !== MADE_ON_UNIX) return false;
  const mode = entry.externalFileAttributes >>> 16;
  return (mode & UNIX_FILE_TYPE_MASK) === UNIX_SYMLINK;
}
