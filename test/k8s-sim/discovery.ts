/** Discovery documents exactly as the API server serves them: /version, /apis, /apis/<g>, /api/v1, /apis/<g>/<v>. */
import { CORE_SUBRESOURCES, groupVersionOf, verbsOf, type ResourceDef } from './resources.js';

const BUILTIN_GROUP_ORDER = [
  'apps',
  'networking.k8s.io',
  'discovery.k8s.io',
  'authorization.k8s.io',
  'apiextensions.k8s.io',
];

export const DISCOVERY_PATHS = [
  /^\/api(\/.*)?$/,
  /^\/apis(\/.*)?$/,
  /^\/version\/?$/,
  /^\/(healthz|livez|readyz)(\/.*)?$/,
  /^\/openapi\/.*$/,
];

/** Non-resource paths every authenticated user may GET (system:discovery). */
export function isDiscoveryPath(p: string): boolean {
  return DISCOVERY_PATHS.some((re) => re.test(p));
}

export function versionInfo(version: string): Record<string, string> {
  const [major, minor] = version.split('.');
  return {
    major: major!,
    minor: minor!,
    emulationMajor: major!,
    emulationMinor: minor!,
    minCompatibilityMajor: major!,
    minCompatibilityMinor: String(Math.max(0, Number(minor) - 1)),
    gitVersion: `v${version}`,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.24.9',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

export function groupListDoc(servedGroups: Map<string, string[]>): Record<string, unknown> {
  const names = [...servedGroups.keys()].sort((a, b) => {
    const ia = BUILTIN_GROUP_ORDER.indexOf(a);
    const ib = BUILTIN_GROUP_ORDER.indexOf(b);
    if (ia >= 0 || ib >= 0) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
    return a.localeCompare(b);
  });
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: names.map((g) => {
      const { kind: _k, apiVersion: _a, ...rest } = apiGroupDoc(g, servedGroups.get(g)!);
      return rest;
    }),
  };
}

export function apiGroupDoc(
  group: string,
  versionsIn: string[],
): Record<string, unknown> & { kind: string; apiVersion: string } {
  // Preferred = newest: v2 > v1 > v1alpha2 > v1alpha1.
  const versions = [...versionsIn].sort((a, b) => versionRank(b) - versionRank(a));
  const gv = (v: string) => ({ groupVersion: `${group}/${v}`, version: v });
  return {
    kind: 'APIGroup',
    apiVersion: 'v1',
    name: group,
    versions: versions.map(gv),
    preferredVersion: gv(versions[0]!),
  };
}

export function resourceListDoc(
  defs: ResourceDef[],
  group: string,
  version: string,
): Record<string, unknown> {
  const gvs = groupVersionOf({ group, version });
  const resources: Record<string, unknown>[] = [];
  for (const d of defs) {
    if (d.group !== group || d.version !== version) continue;
    resources.push({
      name: d.plural,
      singularName: d.singular,
      namespaced: d.namespaced,
      kind: d.kind,
      verbs: verbsOf(d),
      ...(d.shortNames ? { shortNames: d.shortNames } : {}),
      ...(d.categories ? { categories: d.categories } : {}),
    });
    for (const s of CORE_SUBRESOURCES) {
      if (s.group === group && s.version === version && s.name.startsWith(`${d.plural}/`)) {
        resources.push({
          name: s.name,
          singularName: '',
          namespaced: s.namespaced,
          kind: s.kind,
          verbs: s.verbs,
        });
      }
    }
  }
  return group === ''
    ? { kind: 'APIResourceList', groupVersion: gvs, resources }
    : { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gvs, resources };
}
function versionRank(v: string): number {
  const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
  if (!m) return 0;
  const major = Number(m[1]) * 1000;
  if (!m[2]) return major + 999;
  return major + (m[2] === 'beta' ? 500 : 0) + Number(m[3]);
}
