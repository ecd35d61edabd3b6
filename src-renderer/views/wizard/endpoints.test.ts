/// <reference types="node" />
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSnapshotTexts } from '@shared/snapshot/parse';
import { endpointOptions, isIp, namedPorts, searchEndpoints, workloadOf } from './endpoints';
import { draftFromParams, toQuestion } from './question';
import { chipIsHighlighted, splitLabelList } from './labels';

const text = readFileSync(new URL('../../../assets/demo/cluster.yaml', import.meta.url), 'utf8');
const snapshot = parseSnapshotTexts([{ name: 'cluster.yaml', text }], {
  type: 'demo',
  paths: ['cluster.yaml'],
});
const options = endpointOptions(snapshot);

describe('endpoint picker options', () => {
  it('offers every pod as ns/name', () => {
    const pods = options.filter((o) => o.kind === 'pod').map((o) => o.value);
    expect(pods).toHaveLength(snapshot.pods.length);
    expect(pods).toContain('backend/redis-cache-0');
  });

  it('groups replicas under their Deployment and resolves a Service to its pods', () => {
    const api = options.find((o) => o.kind === 'workload' && o.label === 'backend/api');
    expect(api?.pods?.sort()).toEqual(['backend/api-5c6d7f8b9-abcde', 'backend/api-5c6d7f8b9-fghij']);
    const svc = options.find(
      (o) => o.kind === 'service' && o.namespace === 'backend' && o.pods?.some((p) => p.includes('/api-')),
    );
    expect(svc?.value).toMatch(/^backend\/api-/);
  });

  it('finds by any word, lists a namespace’s pods for "ns/", and offers an IP outside the cluster as external', () => {
    expect(searchEndpoints(options, 'redis')[0].value).toBe('backend/redis-cache-0');
    const inBackend = searchEndpoints(options, 'backend/');
    expect(inBackend.every((o) => o.kind !== 'namespace')).toBe(true);
    expect(inBackend.some((o) => o.value === 'backend/redis-cache-0')).toBe(true);
    expect(searchEndpoints(options, '8.8.8.8')[0]).toMatchObject({ kind: 'external', value: '8.8.8.8' });
    // a pod IP is a pod, not an external address
    expect(searchEndpoints(options, '10.0.2.23').some((o) => o.kind === 'external')).toBe(false);
  });

  it('honours the namespace filter', () => {
    const hits = searchEndpoints(options, 'api', ['payments']);
    expect(hits.every((o) => !o.namespace || o.namespace === 'payments')).toBe(true);
  });

  it('offers the destination pod’s named ports', () => {
    expect(namedPorts(snapshot, 'data/postgres-0').map((p) => `${p.name}:${p.port}`)).toEqual([
      'postgres:5432',
      'metrics:9187',
    ]);
    expect(namedPorts(snapshot, 'nope/nothing')).toEqual([]);
  });

  it('derives the Deployment name from a ReplicaSet owner', () => {
    const pod = snapshot.pods.find((p) => p.metadata.name === 'api-5c6d7f8b9-abcde')!;
    expect(workloadOf(pod)).toEqual({ kind: 'Deployment', name: 'api' });
    expect(isIp('10.0.0.1')).toBe(true);
    expect(isIp('backend/api')).toBe(false);
  });
});

describe('the question form', () => {
  it('reads a deep link and validates ports', () => {
    const d = draftFromParams(new URLSearchParams('from=a/b&to=c/d&port=8080&protocol=udp'))!;
    expect(d).toEqual({ from: 'a/b', to: 'c/d', port: '8080', protocol: 'UDP' });
    expect(toQuestion(d).question).toEqual({ from: 'a/b', to: 'c/d', port: 8080, protocol: 'UDP' });
    expect(toQuestion({ ...d, port: 'http' }).question?.port).toBe('http');
    expect(toQuestion({ ...d, port: '70000' }).problem).toMatch(/1 to 65535/);
    expect(toQuestion({ ...d, port: 'Not A Port' }).problem).toMatch(/neither/);
    expect(toQuestion({ ...d, from: '' }).problem).toMatch(/source/);
    expect(draftFromParams(new URLSearchParams(''))).toBeUndefined();
  });

  it('splits label lists into chips and highlights the differing key', () => {
    expect(splitLabelList('app=web, tier=frontend')).toEqual(['app=web', 'tier=frontend']);
    expect(splitLabelList('none: egress is not isolated')).toBeUndefined();
    expect(chipIsHighlighted('app=redis-cache', 'app')).toBe(true);
    expect(chipIsHighlighted('tier=backend', 'app=redis-cache')).toBe(false);
    expect(chipIsHighlighted('name=x', undefined, ['name'])).toBe(true);
  });
});
