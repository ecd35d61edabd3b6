import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** The kubeconfig files kubectl would read: $KUBECONFIG entries, else ~/.kube/config. */
export function kubeconfigCandidates(
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string[] {
  const list = (env.KUBECONFIG ?? '')
    .split(delimiter)
    .map((p) => p.trim())
    .filter(Boolean);
  return list.length ? list : [join(home, '.kube', 'config')];
}

/** True when at least one kubeconfig file exists (an explicit --kubeconfig counts when it exists). */
export function hasAnyKubeconfig(
  explicit?: string,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): boolean {
  if (explicit) return existsSync(explicit);
  return kubeconfigCandidates(env, home).some((p) => existsSync(p));
}
