import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { ArchiveConfigError, archiveConfigFromEnv } from '#archive';
import type { ConnectorRegistry } from '#connectors';
import { apivaultConfigSchema, type ApivaultConfig } from './config-file-schema.js';
import { configEnvironmentOverlay, STORAGE_VARIABLES, storageKeyOf } from './config-environment.js';

/** One problem in the file, where it is. */
export interface ConfigProblem {
  line: number;
  column: number;
  /** The key path, e.g. "sources[0].config". */
  path: string;
  message: string;
}

/** The file is invalid; the message lists every problem as `file:line:column: path: message`. */
export class ConfigFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: ConfigProblem[],
  ) {
    problems.sort((a, b) => a.line - b.line || a.column - b.column);
    super(`${file} is invalid:\n${problems.map((p) => `  ${path.basename(file)}:${p.line}:${p.column}: ${p.path ? `${p.path}: ` : ''}${p.message}`).join('\n')}`);
    this.name = 'ConfigFileError';
  }
}

export interface LoadedConfig {
  file: string;
  config: ApivaultConfig;
  /** APIVAULT_* variables the file's storage and retention sections stand for. */
  environment: Record<string, string>;
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  /** Checks each source's kind and connector configuration as well. */
  registry?: ConnectorRegistry;
}

/** The config file named by --config, else APIVAULT_CONFIG, else none. */
export function configFilePath(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const chosen = option ?? env.APIVAULT_CONFIG?.trim();
  return chosen ? path.resolve(chosen) : undefined;
}

/**
 * Reads and validates apivault.yaml: YAML syntax, `${NAME}` interpolation from the environment,
 * the schema, and (with a registry) every source's connector configuration. All problems are
 * reported at once, each with its line and column.
 */
export function loadConfigFile(file: string, options: LoadOptions = {}): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigFileError(file, [{ line: 1, column: 1, path: '', message: `cannot be read: ${(error as Error).message}` }]);
  }
  return parseConfigText(file, text, options);
}

export function parseConfigText(file: string, text: string, { env = process.env, registry }: LoadOptions = {}): LoadedConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const at = (offset: number) => lines.linePos(offset);
  if (doc.errors.length > 0) {
    throw new ConfigFileError(file, doc.errors.map((e) => ({ line: e.linePos?.[0].line ?? 1, column: e.linePos?.[0].col ?? 1, path: '', message: e.message.split('\n')[0]! })));
  }

  const problems: ConfigProblem[] = [];
  interpolate(doc, env, (node, message) => {
    const pos = at(node.range?.[0] ?? 0);
    problems.push({ line: pos.line, column: pos.col, path: '', message });
  });
  if (problems.length > 0) throw new ConfigFileError(file, problems);

  const raw = (doc.toJS() ?? {}) as { sources?: unknown };
  const result = apivaultConfigSchema.safeParse(raw);
  if (!result.success) problems.push(...result.error.issues.flatMap((issue) => locateIssue(doc, issue, at)));
  // Connector checks run even when the rest of the file is wrong: every problem in one go.
  if (registry && Array.isArray(raw.sources)) {
    raw.sources.forEach((source: { kind?: unknown; config?: unknown } | null, index) => {
      if (typeof source?.kind !== 'string' || typeof source.config !== 'object' || source.config === null) return;
      const problem = connectorProblem(registry, source.kind, source.config);
      if (problem) problems.push(locate(doc, ['sources', index, problem.field], problem.message, at));
    });
  }
  if (!result.success || problems.length > 0) throw new ConfigFileError(file, problems);
  const config = result.data;

  const environment = configEnvironmentOverlay(config);
  if (config.storage) {
    // The archive's own checks (bucket name, endpoint, prefix...), pointed back at the file.
    try {
      archiveConfigFromEnv(environment);
    } catch (error) {
      if (!(error instanceof ArchiveConfigError)) throw error;
      const key = storageKeyOf(error.variable);
      problems.push(locate(doc, key ? ['storage', key] : ['storage'], inFileTerms(error.message), at));
    }
  }
  if (problems.length > 0) throw new ConfigFileError(file, problems);
  return { file, config, environment };
}

/**
 * Replaces `${NAME}` in every scalar value with the environment variable (`$${` is a literal
 * `${`). A missing variable is a problem, never an empty string: a secret that silently became
 * "" would be a confusing vendor 401 later.
 */
function interpolate(doc: Document, env: NodeJS.ProcessEnv, problem: (node: Node, message: string) => void): void {
  visit(doc, {
    Scalar(key, node) {
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('${')) return;
      node.value = node.value.replace(/\$?\$\{([^}]*)\}/g, (match: string, name: string) => {
        if (match.startsWith('$$')) return match.slice(1);
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
          problem(node, `"\${${name}}" is not a variable reference (use \${NAME}, or $\${ for a literal)`);
          return match;
        }
        const value = env[name];
        if (value === undefined) {
          problem(node, `environment variable ${name} is not set`);
          return match;
        }
        return value;
      });
    },
  });
}

function connectorProblem(registry: ConnectorRegistry, kind: string, config: unknown): { field: string; message: string } | null {
  let connector;
  try {
    connector = registry.get(kind);
  } catch (error) {
    return { field: 'kind', message: (error as Error).message };
  }
  try {
    connector.validateConfig(config);
    return null;
  } catch (error) {
    return { field: 'config', message: (error as Error).message };
  }
}

function locateIssue(doc: Document, issue: z.core.$ZodIssue, at: (offset: number) => { line: number; col: number }): ConfigProblem[] {
  const issuePath = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => locate(doc, [...issuePath, key], `unknown key "${key}"`, at, true));
  }
  return [locate(doc, issuePath, issue.message, at)];
}

/** The position of the node at `keyPath`, or of its nearest ancestor present in the file. */
function locate(doc: Document, keyPath: (string | number)[], message: string, at: (offset: number) => { line: number; col: number }, pointAtKey = false): ConfigProblem {
  let offset = 0;
  for (let depth = keyPath.length; depth >= 0; depth--) {
    const prefix = keyPath.slice(0, depth);
    if (pointAtKey && depth === keyPath.length) {
      const parent = prefix.length > 1 ? doc.getIn(prefix.slice(0, -1), true) : doc.contents;
      const pair = isMap(parent) ? parent.items.find((item) => isScalar(item.key) && item.key.value === prefix[prefix.length - 1]) : undefined;
      const keyNode = pair?.key as Node | undefined;
      if (keyNode?.range) {
        offset = keyNode.range[0];
        break;
      }
      continue;
    }
    const node = (prefix.length === 0 ? doc.contents : doc.getIn(prefix, true)) as Node | null | undefined;
    if (node?.range) {
      offset = node.range[0];
      break;
    }
  }
  const pos = at(offset);
  return { line: pos.line, column: pos.col, path: formatPath(keyPath), message };
}

function formatPath(keyPath: (string | number)[]): string {
  return keyPath.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** An archive error message with each variable name replaced by the file key it came from. */
function inFileTerms(message: string): string {
  return Object.entries(STORAGE_VARIABLES).reduce((text, [key, variable]) => text.replace(new RegExp(`\\b${variable}\\b`, 'g'), `storage.${key}`), message);
}
