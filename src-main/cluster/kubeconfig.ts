/**
 * Kubeconfig files merged the way kubectl merges them, and one KubeConfig per context.
 *
 * client-node's own `loadFromDefault` + `mergeConfig` throws on duplicate names and keeps the LAST
 * file's current-context; kubectl keeps the FIRST occurrence of every cluster, user and context and the
 * first non-empty current-context. We read every file on its own and merge ourselves.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KubeConfig, type Cluster, type Context, type User } from '@kubernetes/client-node';
import { parseDocument } from 'yaml';
import { KubeconfigError, UnknownContextError } from './errors';

export interface KubeconfigProblem {
  file?: string;
  message: string;
}

export interface MergedContext {
  context: Context;
  cluster?: Cluster;
  user?: User;
  /** the file this context was read from */
  sourceFile: string;
}

export interface MergedKubeconfig {
  /** the files considered, in order */
  files: string[];
  current?: string;
  contexts: MergedContext[];
  problems: KubeconfigProblem[];
}

/**
 * The kubeconfig files in effect: `--kubeconfig` (one path, or several joined by path.delimiter), else
 * `$KUBECONFIG` split on path.delimiter, else `~/.kube/config`.
 */
export function kubeconfigPaths(
  explicit?: string,
  env: NodeJS.ProcessEnv = process.env,
): { files: string[]; explicit: boolean } {
  if (explicit && explicit.trim()) return { files: splitPaths(explicit), explicit: true };
  const fromEnv = env.KUBECONFIG;
  if (fromEnv && fromEnv.trim()) return { files: splitPaths(fromEnv), explicit: false };
  const home = env.HOME || env.USERPROFILE || os.homedir();
  return { files: [path.join(home, '.kube', 'config')], explicit: false };
}

function splitPaths(list: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const p of list.split(path.delimiter)) {
    const t = p.trim();
    if (!t) continue;
    const abs = path.resolve(expandHome(t));
    if (seen.has(abs)) continue;
    seen.add(abs);
    out.push(abs);
  }
  return out;
}

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p;
}

interface ParsedFile {
  file: string;
  kc: KubeConfig;
}

/** Reads one file; returns undefined (with a problem) when it cannot be used. Empty files are fine. */
function readOneFile(file: string, explicit: boolean, problems: KubeconfigProblem[]): ParsedFile | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // kubectl silently skips missing files in $KUBECONFIG; an explicit --kubeconfig must exist.
    if (code === 'ENOENT') {
      if (explicit) problems.push({ file, message: `kubeconfig file not found: ${file}` });
      return undefined;
    }
    problems.push({ file, message: `cannot read kubeconfig ${file}: ${(err as Error).message}` });
    return undefined;
  }
  const kc = new KubeConfig();
  if (!text.trim()) return { file, kc };
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length) {
    const e = doc.errors[0];
    const line = e.linePos?.[0]?.line;
    problems.push({
      file,
      message: `malformed kubeconfig ${file}${line ? ` (line ${line})` : ''}: ${e.message.split('\n')[0]}`,
    });
    return undefined;
  }
  const raw = doc.toJS() as unknown;
  if (raw === null || raw === undefined) return { file, kc };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({
      file,
      message: `malformed kubeconfig ${file}: expected a mapping with clusters, users and contexts`,
    });
    return undefined;
  }
  const obj = raw as Record<string, unknown>;
  for (const key of ['clusters', 'users', 'contexts'] as const) {
    if (obj[key] !== undefined && obj[key] !== null && !Array.isArray(obj[key])) {
      problems.push({ file, message: `malformed kubeconfig ${file}: "${key}" must be a list` });
      return undefined;
    }
  }
  try {
    // client-node reads each entry (certificate paths, exec, auth-provider) the way it will use it.
    kc.loadFromString(
      JSON.stringify({
        ...obj,
        clusters: obj.clusters ?? [],
        users: obj.users ?? [],
        contexts: obj.contexts ?? [],
      }),
      {
        onInvalidEntry: 'filter',
      },
    );
    kc.makePathsAbsolute(path.dirname(file));
  } catch (err) {
    problems.push({ file, message: `malformed kubeconfig ${file}: ${(err as Error).message}` });
    return undefined;
  }
  reportFilteredEntries(file, obj, kc, problems);
  return { file, kc };
}

function reportFilteredEntries(
  file: string,
  obj: Record<string, unknown>,
  kc: KubeConfig,
  problems: KubeconfigProblem[],
): void {
  const check = (key: 'clusters' | 'users' | 'contexts', kept: { name: string }[]) => {
    const list = Array.isArray(obj[key]) ? (obj[key] as unknown[]) : [];
    const keptNames = new Set(kept.map((k) => k.name));
    for (const entry of list) {
      const name = entry && typeof entry === 'object' ? (entry as { name?: unknown }).name : undefined;
      if (typeof name !== 'string' || !keptNames.has(name)) {
        problems.push({
          file,
          message: `ignored an invalid entry in "${key}" of ${file}${typeof name === 'string' ? ` (${name})` : ''}: a ${key.slice(0, -1)} needs a name and its fields`,
        });
      }
    }
  };
  check('clusters', kc.clusters);
  check('users', kc.users);
  check('contexts', kc.contexts);
}

/** Merges files first-wins, as kubectl does; reports duplicates in `problems`. Never throws. */
export function readKubeconfigs(explicit?: string, env: NodeJS.ProcessEnv = process.env): MergedKubeconfig {
  const { files, explicit: isExplicit } = kubeconfigPaths(explicit, env);
  const problems: KubeconfigProblem[] = [];
  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const contexts = new Map<string, { context: Context; sourceFile: string }>();
  let current: string | undefined;
  for (const file of files) {
    const parsed = readOneFile(file, isExplicit, problems);
    if (!parsed) continue;
    const { kc } = parsed;
    for (const c of kc.clusters) {
      if (clusters.has(c.name))
        problems.push({
          file,
          message: `duplicate cluster "${c.name}" in ${file} ignored (first definition wins)`,
        });
      else clusters.set(c.name, c);
    }
    for (const u of kc.users) {
      if (users.has(u.name))
        problems.push({
          file,
          message: `duplicate user "${u.name}" in ${file} ignored (first definition wins)`,
        });
      else users.set(u.name, u);
    }
    for (const ctx of kc.contexts) {
      if (contexts.has(ctx.name))
        problems.push({
          file,
          message: `duplicate context "${ctx.name}" in ${file} ignored (first definition wins)`,
        });
      else contexts.set(ctx.name, { context: ctx, sourceFile: file });
    }
    if (!current && kc.currentContext) current = kc.currentContext;
  }
  const merged: MergedContext[] = [...contexts.values()].map(({ context, sourceFile }) => ({
    context,
    sourceFile,
    cluster: clusters.get(context.cluster),
    user: users.get(context.user),
  }));
  if (current && !contexts.has(current)) {
    problems.push({ message: `current-context "${current}" is not defined in any kubeconfig file` });
  }
  return { files, current, contexts: merged, problems };
}

// ---------- one KubeConfig per context ----------

interface CacheEntry {
  signature: string;
  kc: KubeConfig;
}

const cache = new Map<string, CacheEntry>();

function filesSignature(files: string[]): string {
  return files
    .map((f) => {
      try {
        const st = fs.statSync(f);
        return `${f}:${st.mtimeMs}:${st.size}`;
      } catch {
        return `${f}:-`;
      }
    })
    .join('|');
}

/** Forgets cached per-context configs (called when a kubeconfig file changes). */
export function clearKubeconfigCache(): void {
  cache.clear();
}

/**
 * A KubeConfig holding ONLY this context, its cluster and its user, with current-context set to it.
 * API clients and watches built from it can never be switched to another context by accident.
 * Cached per (files, context) and rebuilt when a file changes.
 */
export function loadKubeConfigForContext(context: string, kubeconfig?: string): KubeConfig {
  const { files } = kubeconfigPaths(kubeconfig);
  const key = `${files.join(path.delimiter)}\u0000${context}`;
  const signature = filesSignature(files);
  const hit = cache.get(key);
  if (hit && hit.signature === signature) return hit.kc;

  const merged = readKubeconfigs(kubeconfig);
  const entry = merged.contexts.find((c) => c.context.name === context);
  if (!entry) {
    const fileProblems = merged.problems.filter((p) => /malformed|cannot read|not found/.test(p.message));
    if (fileProblems.length && !merged.contexts.length)
      throw new KubeconfigError(fileProblems.map((p) => p.message).join('; '), fileProblems[0].file);
    throw new UnknownContextError(
      context,
      merged.contexts.map((c) => c.context.name),
      fileProblems.length ? fileProblems.map((p) => p.message).join('; ') : undefined,
    );
  }
  if (!entry.cluster) {
    throw new KubeconfigError(
      `context "${context}" (${entry.sourceFile}) refers to cluster "${entry.context.cluster}", which no kubeconfig file defines`,
      entry.sourceFile,
    );
  }
  if (!entry.cluster.server) {
    throw new KubeconfigError(
      `cluster "${entry.cluster.name}" (${entry.sourceFile}) has no server URL`,
      entry.sourceFile,
    );
  }
  // A context without a (known) user still talks to the server anonymously, as kubectl does. client-node
  // skips CA and TLS options when there is no user, so give it an empty one.
  const user: User = entry.user ?? { name: entry.context.user || 'anonymous' };
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [entry.cluster],
    users: [user],
    contexts: [{ ...entry.context, user: user.name }],
    currentContext: context,
  });
  cache.set(key, { signature, kc });
  return kc;
}

/** Describes the context (no credentials) from its per-context KubeConfig. */
export function contextTarget(kc: KubeConfig): {
  context: string;
  cluster: string;
  server: string;
  user: string;
  namespace?: string;
} {
  const ctx = kc.getContextObject(kc.getCurrentContext());
  const cluster = kc.getCurrentCluster();
  return {
    context: kc.getCurrentContext(),
    cluster: cluster?.name ?? ctx?.cluster ?? '',
    server: cluster?.server ?? '',
    user: ctx?.user ?? '',
    namespace: ctx?.namespace,
  };
}
