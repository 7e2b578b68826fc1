#!/usr/bin/env node
// Our npm registry mirror serves only the Linux builds of packages that ship one binary package
// per platform (@swc/core-*, @unrs/resolver-binding-*). `npm install` then leaves the other
// platforms out of package-lock.json, and `npm ci` refuses the lock as out of sync. This adds
// the missing optional platform entries (version, os, cpu, libc, optional), which is what a lock
// written against the full registry holds; npm skips them on other platforms without fetching.
// Run after every `npm install`: `npm run lockfile:repair`.
import { readFileSync, writeFileSync } from 'node:fs';

const LOCK = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(LOCK, 'utf8'));
const packages = lock.packages;

const OS = ['darwin', 'linux', 'win32', 'freebsd', 'android', 'openharmony', 'sunos', 'aix', 'netbsd', 'openbsd'];
const CPU = { x64: 'x64', arm64: 'arm64', ia32: 'ia32', arm: 'arm', ppc64: 'ppc64', s390x: 's390x', riscv64: 'riscv64', loong64: 'loong64', wasm32: 'wasm32' };

/** "@swc/core-linux-arm-gnueabihf" -> { os: ['linux'], cpu: ['arm'], libc: ['glibc'] } */
function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const osIndex = parts.findIndex((p) => OS.includes(p));
  if (osIndex < 0) return null;
  const cpu = CPU[parts[osIndex + 1]];
  if (!cpu) return null;
  const abi = parts.slice(osIndex + 2).join('-');
  const platform = { os: [parts[osIndex]], cpu: [cpu] };
  if (parts[osIndex] === 'linux' && abi.startsWith('musl')) platform.libc = ['musl'];
  else if (parts[osIndex] === 'linux' && abi.startsWith('gnu')) platform.libc = ['glibc'];
  return platform;
}

let added = 0;
const unknown = [];
for (const [path, meta] of Object.entries(packages)) {
  for (const [dep, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const candidates = [`${path ? `${path}/` : ''}node_modules/${dep}`, `node_modules/${dep}`];
    if (candidates.some((c) => packages[c])) continue;
    const platform = platformOf(dep);
    if (!platform || !/^\d+\.\d+\.\d+/.test(version)) {
      unknown.push(`${dep}@${version} (optional dependency of ${path || 'the root'})`);
      continue;
    }
    packages[`node_modules/${dep}`] = { version, ...platform, optional: true };
    added++;
  }
}

const sorted = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)));
lock.packages = sorted;
writeFileSync(LOCK, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: added ${added} optional platform entries`);
if (unknown.length > 0) {
  console.error(`cannot infer the platform of:\n  ${unknown.join('\n  ')}`);
  process.exitCode = 1;
}
