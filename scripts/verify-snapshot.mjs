#!/usr/bin/env node
// Verifies an apivault compliance snapshot with nothing but Node.js (node:crypto): no apivault
// code, no database, no decryption key. See docs/snapshots.md.
//
// Usage:
//   node scripts/verify-snapshot.mjs DIR
//       DIR holds manifest.json, manifest.sig, public-key.pem and optionally objects/ (the layout
//       `apivault snapshots export ID DIR --objects` writes).
//   node scripts/verify-snapshot.mjs --manifest manifest.json --signature manifest.sig --public-key key.pem
//       [--objects DIR] [--fingerprint sha256:<hex>] [--previous-manifest previous/manifest.json] [--json]
//
// Checks: the Ed25519 signature over the exact bytes of manifest.json; that the manifest is in
// canonical form; the public key's fingerprint (against --fingerprint, which you should take from
// the operator, not from the files beside the manifest); the hash-chain link to the previous
// manifest; and, with --objects, the SHA-256 of every archive object the manifest lists, either
// as stored (encrypted or not: objects[].stored.sha256) or as content (objects[].sha256).
// Exit status 0 when every check passed, 1 when one failed, 2 on bad usage.
//
// The signature check alone is equivalent to:
//   openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin -in manifest.json -sigfile manifest.sig

import { createHash, createPublicKey, verify } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';

function usage(message) {
  process.stderr.write(`verify-snapshot: ${message}\n`);
  process.stderr.write('usage: node scripts/verify-snapshot.mjs DIR | --manifest F --signature F --public-key F [--objects DIR] [--fingerprint sha256:HEX] [--previous-manifest F] [--json]\n');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { json: false };
  const flags = { '--manifest': 'manifest', '--signature': 'signature', '--public-key': 'publicKey', '--objects': 'objects', '--fingerprint': 'fingerprint', '--previous-manifest': 'previousManifest' };
  const positional = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') opts.json = true;
    else if (arg === '--help' || arg === '-h') usage('help');
    else if (flags[arg]) {
      if (argv[i + 1] === undefined) usage(`${arg} needs a value`);
      opts[flags[arg]] = argv[++i];
    } else if (arg.startsWith('--')) usage(`unknown option ${arg}`);
    else positional.push(arg);
  }
  if (positional.length > 1) usage('at most one directory');
  if (positional.length === 1) {
    const dir = positional[0];
    opts.manifest ??= path.join(dir, 'manifest.json');
    opts.signature ??= path.join(dir, 'manifest.sig');
    opts.publicKey ??= path.join(dir, 'public-key.pem');
    if (opts.objects === undefined && existsSync(path.join(dir, 'objects'))) opts.objects = path.join(dir, 'objects');
  }
  for (const required of ['manifest', 'signature', 'publicKey']) if (!opts[required]) usage(`--${required.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} is required`);
  return opts;
}

/** Canonical JSON as apivault writes it: keys sorted by UTF-16 code units, no whitespace. */
function canonicalJson(value) {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  return `{${Object.keys(value).sort().filter((k) => value[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

function sha256File(file) {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file).on('data', (chunk) => hash.update(chunk)).on('error', reject).on('end', () => resolve(hash.digest('hex')));
  });
}

/** Where an object may sit under DIR: the archive layout (sha256/ab/cd/<hash>) or flat (<hash>). */
function findObject(dir, object) {
  for (const candidate of [path.join(dir, ...object.key.split('/')), path.join(dir, object.sha256)]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const results = [];
  const record = (check, ok, detail) => results.push({ check, ok, detail });

  const manifestBytes = readFileSync(opts.manifest);
  const signature = readFileSync(opts.signature);
  const publicKey = createPublicKey(readFileSync(opts.publicKey));
  if (publicKey.asymmetricKeyType !== 'ed25519') usage(`${opts.publicKey} is a ${publicKey.asymmetricKeyType} key, not Ed25519`);
  const fingerprint = `sha256:${sha256(publicKey.export({ type: 'spki', format: 'der' }))}`;
  const manifestSha256 = sha256(manifestBytes);

  record('signature', verify(null, manifestBytes, publicKey, signature), `Ed25519 over ${opts.manifest} (${manifestBytes.length} bytes, sha256 ${manifestSha256}) with key ${fingerprint}`);

  let manifest = null;
  try {
    manifest = JSON.parse(manifestBytes.toString('utf8'));
    record('canonical form', canonicalJson(manifest) === manifestBytes.toString('utf8'), 'the manifest bytes are the canonical JSON of their content');
  } catch (error) {
    record('canonical form', false, `the manifest is not JSON: ${error.message}`);
  }
  if (opts.fingerprint) record('public key fingerprint', opts.fingerprint === fingerprint, `expected ${opts.fingerprint}, the key file is ${fingerprint}`);
  if (manifest?.signing?.publicKeyFingerprint) {
    record('signing key named in the manifest', manifest.signing.publicKeyFingerprint === fingerprint, `the manifest names ${manifest.signing.publicKeyFingerprint}`);
  }
  if (opts.previousManifest) {
    const previousSha256 = sha256(readFileSync(opts.previousManifest));
    const link = manifest?.previous?.manifestSha256 ?? null;
    record('chain link', link === previousSha256, `the manifest links to ${link ?? 'nothing'}; ${opts.previousManifest} hashes to ${previousSha256}`);
  }
  if (opts.objects && manifest) {
    for (const object of manifest.objects ?? []) {
      if (object.status !== 'ok') {
        record(`object ${object.key}`, true, `skipped: recorded as ${object.status} when the snapshot was sealed`);
        continue;
      }
      const file = findObject(opts.objects, object);
      if (!file) {
        record(`object ${object.key}`, false, `missing under ${opts.objects}`);
        continue;
      }
      const actual = await sha256File(file);
      const ok = actual === object.stored?.sha256 || actual === object.sha256;
      record(`object ${object.key}`, ok, ok ? `sha256 ${actual} (${actual === object.sha256 ? 'content' : `stored, ${object.stored.encryption}`})` : `hash-mismatch: ${file} hashes to ${actual}, the manifest says ${object.stored?.sha256 ?? object.sha256}`);
    }
  }

  const ok = results.every((r) => r.ok);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ ok, manifestSha256, publicKeyFingerprint: fingerprint, snapshotId: manifest?.snapshotId ?? null, results }, null, 2)}\n`);
  } else {
    process.stdout.write(`snapshot ${manifest?.snapshotId ?? '(unreadable manifest)'}, manifest sha256 ${manifestSha256}, key ${fingerprint}\n`);
    for (const r of results) process.stdout.write(`${r.ok ? 'OK  ' : 'FAIL'} ${r.check}: ${r.detail}\n`);
    process.stdout.write(ok ? 'verified\n' : 'VERIFICATION FAILED\n');
  }
  process.exitCode = ok ? 0 : 1;
}

main().catch((error) => {
  process.stderr.write(`verify-snapshot: ${error.message}\n`);
  process.exit(2);
});
