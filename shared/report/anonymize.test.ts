import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../engine/index';
import type { Question } from '../diagnose/types';
import { parseIp } from '../snapshot/ip';
import { parseSnapshotTexts } from '../snapshot/parse';
import type { Snapshot } from '../snapshot/types';
import { Anonymizer } from './anonymize';
import {
  createReportModel,
  renderReportHtml,
  renderReportJson,
  renderReportMarkdown,
  type ReportModel,
} from './index';
import { dualStackDemo, V6_BLOCKS } from './testing/dual-stack';

const demoYaml = readFileSync(
  fileURLToPath(new URL('../../assets/demo/cluster.yaml', import.meta.url)),
  'utf8',
);
const demo = parseSnapshotTexts([{ name: 'cluster.yaml', text: demoYaml }]);
const { snapshot: dual, podV6 } = dualStackDemo(demoYaml);

/** Every IPv6 address written anywhere in a text, by value (so any textual form of one is found). */
function v6Values(text: string): bigint[] {
  const out: bigint[] = [];
  for (const m of text.matchAll(/[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,8}(?:\.\d{1,3}){0,3}/g)) {
    const p = parseIp(m[0]);
    if (p?.family === 6) out.push(p.value);
  }
  return out;
}

function v6(text: string): bigint {
  const p = parseIp(text.replace(/\/\d+$/, ''));
  if (p?.family !== 6) throw new Error(`not IPv6: ${text}`);
  return p.value;
}

/** The IPv6 addresses of the fixture (pods, nodes, ipBlocks, and the ones the questions ask about). */
const QUESTIONS: Question[] = [
  { from: 'payments/payments-6b7c8d9e5-klmno', to: '2001:db8:beef:dead::7', port: 443 },
  { from: 'payments/payments-6b7c8d9e5-klmno', to: '2001:DB8:BEEF::10', port: 443 },
  { from: '2001:db8:cafe:2::5', to: 'backend/api-5c6d7f8b9-abcde', port: 8080 },
  { from: 'frontend/web-7d9f8b6c5-x2k4p', to: podV6.get('backend/api-5c6d7f8b9-abcde')!, port: 8080 },
];
const ORIGINAL_V6 = new Set<bigint>([
  ...[...podV6.values()].map(v6),
  v6('2001:db8:42::a'),
  v6('2001:db8:42::b'),
  ...Object.values(V6_BLOCKS).flatMap((b) => [v6(b.cidr), v6(b.except)]),
  ...QUESTIONS.flatMap((q) => [q.from, q.to].filter((x) => x.includes(':')).map(v6)),
]);

function renders(snapshot: Snapshot, question: Question | undefined, anonymize: boolean): string[] {
  const m = createReportModel({
    snapshot,
    engine: createEngine(snapshot),
    question,
    anonymize,
    contextName: 'prod-eu',
    server: 'https://[2001:db8:42::1]:6443',
    version: 'test',
    generatedAt: '2026-01-01T12:30:00.000Z',
  });
  return [renderReportMarkdown(m), renderReportHtml(m), renderReportJson(m)];
}

describe('Anonymizer: IPv6', () => {
  it('gives every textual form of one address the same pseudonym, a valid IPv6 one, and keeps the prefix', () => {
    const a = new Anonymizer(dual);
    const p = a.text('2001:db8:42:1::3');
    expect(parseIp(p)?.family).toBe(6);
    expect(v6(p)).not.toBe(v6('2001:db8:42:1::3'));
    for (const form of [
      '2001:0db8:0042:0001:0000:0000:0000:0003',
      '2001:DB8:42:1:0:0:0:3',
      '2001:db8:42:1::0:3',
    ])
      expect(a.text(form)).toBe(p);
    expect(a.text('2001:db8:42:2::4')).not.toBe(p);
    expect(a.text(`cidr: ${V6_BLOCKS.partner.cidr}`)).toBe(`cidr: ${a.text('2001:db8:beef::')}/48`);
    expect(a.text(`- ${V6_BLOCKS.partner.except}`)).toBe(`- ${a.text('2001:db8:beef:dead::')}/64`);
    // in sentences, brackets, with a zone, before a colon or a full stop
    expect(
      a.text(
        `to [2001:db8:42:1::3]:8080, from fe80::1%eth0; ${'2001:db8:42:1::3'}: denied at 2001:db8:42:1::3.`,
      ),
    ).toBe(`to [${p}]:8080, from ${a.text('fe80::1')}%eth0; ${p}: denied at ${p}.`);
  });

  it('keeps ::, ::1 and ::/0; an IPv4-mapped address takes its IPv4 pseudonym; times and MACs are no addresses', () => {
    const a = new Anonymizer(dual);
    expect(a.text('::/0, :: and ::1')).toBe('::/0, :: and ::1');
    expect(a.text('::ffff:10.0.1.11')).toBe(`::ffff:${a.text('10.0.1.11')}`);
    expect(a.text('::FFFF:0A00:010B')).toBe(`::ffff:${a.text('10.0.1.11')}`);
    expect(a.text('at 12:30:00 or 2026-01-01T12:30:00.000Z, mac 0a:58:0a:f4:00:01')).toBe(
      'at 12:30:00 or 2026-01-01T12:30:00.000Z, mac 0a:58:0a:f4:00:01',
    );
    // a name next to an address is still replaced, an address inside a name is not an address
    expect(a.text('frontend 2001:db8:42:1::3')).toBe(`${a.text('frontend')} ${a.text('2001:db8:42:1::3')}`);
  });

  it('numbers the addresses of the snapshot in snapshot order (not report order) and never reuses an original', () => {
    const first = new Anonymizer(dual);
    const second = new Anonymizer(dual);
    second.text('2001:db8:cafe::'); // seen first in this report
    for (const ip of [...podV6.values(), '2001:db8:42::a']) expect(second.text(ip)).toBe(first.text(ip));
    // a snapshot that already uses the pseudonym range: no pseudonym equals one of its addresses
    const taken = first.text('2001:db8:42::a');
    const clash = dualStackDemo(demoYaml.replace('address: 192.168.1.11', `address: ${taken}`)).snapshot;
    const c = new Anonymizer(clash);
    const outs = [...podV6.values(), '2001:db8:42::a', '2001:db8:42::b'].map((ip) => c.text(ip));
    expect(outs).not.toContain(taken);
    expect(new Set(outs).size).toBe(outs.length);
  });

  it('an anonymized dual-stack report holds no original IPv6 address in Markdown, HTML or JSON', () => {
    for (const q of [undefined, ...QUESTIONS]) {
      const plain = renders(dual, q, false);
      const anon = renders(dual, q, true);
      // the plain report does show them: the check below is not vacuous
      const plainV6 = plain.flatMap(v6Values).filter((v) => ORIGINAL_V6.has(v));
      expect(plainV6.length, JSON.stringify(q)).toBeGreaterThan(0);
      for (const [i, text] of anon.entries()) {
        const leaked = v6Values(text).filter((v) => ORIGINAL_V6.has(v));
        expect(leaked, `${['md', 'html', 'json'][i]} ${JSON.stringify(q)}`).toEqual([]);
        expect(text).not.toContain('[2001:db8:42::1]'); // the API server address
        expect(v6Values(text).length).toBeGreaterThan(0);
      }
    }
  });

  it('uses one pseudonym for an address everywhere in a report (question, sentences, YAML)', () => {
    const plain = createReportModel({
      snapshot: dual,
      engine: createEngine(dual),
      question: QUESTIONS[0],
      contextName: 'prod-eu',
      server: 'https://[2001:db8:42::1]:6443',
      version: 'test',
    });
    // what createReportModel({anonymize: true}) does; the same instance then tells each pseudonym
    const a = new Anonymizer(dual, { context: 'prod-eu', server: '[2001:db8:42::1]:6443' });
    const m = a.apply(plain);
    const to = a.text('2001:db8:beef:dead::7');
    expect(m.question?.to).toBe(to);
    expect(m.diagnosis?.destination.ip).toBe(to);
    expect(m.diagnosis?.verdict).toBe('denied');
    const json = JSON.stringify(m);
    expect(json).toContain(`${a.text('2001:db8:beef::')}/48`);
    expect(json).toContain(`${a.text('2001:db8:beef:dead::')}/64`);
    expect(m.diagnosis?.explanation.join(' ')).toContain(to);
    expect(m.source.server).toBe(`[${a.text('2001:db8:42::1')}]:6443`);
  });
});

describe('Anonymizer: IPv4 as before', () => {
  it('maps IPv4 addresses to 10.255.x.y in snapshot order, keeps prefixes and special addresses', () => {
    const a = new Anonymizer(demo);
    // the first address of the snapshot (node-a's InternalIP) gets the first pseudonym
    expect(a.text('192.168.1.10')).toBe('10.255.0.2');
    expect(a.text('10.0.0.0/16 and 10.0.0.0/24')).toBe(
      `${a.text('10.0.0.0')}/16 and ${a.text('10.0.0.0')}/24`,
    );
    expect(a.text('0.0.0.0/0 127.0.0.1 255.255.255.255 1.2.3.400')).toBe(
      '0.0.0.0/0 127.0.0.1 255.255.255.255 1.2.3.400',
    );
    // a dual-stack snapshot maps its IPv4 addresses exactly as the IPv4-only one does
    const [v4Only, d] = [new Anonymizer(demo), new Anonymizer(dual)];
    for (const ip of ['8.8.8.8', '192.168.1.10', '192.168.1.11', '10.0.1.11', '10.0.2.41'])
      expect(d.text(ip)).toBe(v4Only.text(ip));
  });
});

describe("Anonymizer: names that are also the report's own words", () => {
  // namespaces named like the report's fields and enumerations; one of them holds the destination
  const words = ['ingress', 'egress', 'pod', 'neutral', 'allow', 'info', 'cilium', 'demo', 'labels'];
  const extra = words
    .map(
      (n) =>
        `- {apiVersion: v1, kind: Namespace, metadata: {name: ${n}, labels: {kubernetes.io/metadata.name: ${n}}}}`,
    )
    .join('\n');
  const pod = `- apiVersion: v1
  kind: Pod
  metadata: {name: controller-0, namespace: ingress, labels: {app: controller}}
  spec: {nodeName: node-a, containers: [{name: c, ports: [{name: http, containerPort: 80}]}]}
  status: {phase: Running, podIP: 10.0.1.71, podIPs: [{ip: 10.0.1.71}]}`;
  const snapshot = parseSnapshotTexts([
    { name: 'words.yaml', text: `${demoYaml.replace(/\n$/, '')}\n${extra}\n${pod}\n` },
  ]);
  const schema = JSON.parse(
    readFileSync(fileURLToPath(new URL('../../schemas/report.schema.json', import.meta.url)), 'utf8'),
  ) as object;
  const validate = new Ajv({ allErrors: true }).compile(schema);

  it("keep the model's fields and enumerations: the report stays valid and renders", () => {
    for (const question of [
      { from: 'frontend/web-7d9f8b6c5-x2k4p', to: 'ingress/controller-0', port: 80 },
      { from: 'frontend/web-7d9f8b6c5-x2k4p', to: 'backend/api-5c6d7f8b9-abcde', port: 8080 },
      undefined,
    ]) {
      const m = createReportModel({
        snapshot,
        engine: createEngine(snapshot),
        question,
        anonymize: true,
        version: 'test',
      });
      const json = JSON.parse(renderReportJson(m)) as ReportModel;
      expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
      expect(m.cni?.name).toBe('cilium');
      if (!question) continue;
      expect(m.diagnosis?.ingress.direction).toBe('ingress');
      expect(m.diagnosis?.egress.direction).toBe('egress');
      expect(m.diagnosis?.steps.map((st) => st.id)).toEqual([
        'labels',
        'namespace',
        'syntax',
        'cni',
        'verdict',
      ]);
      for (const text of [renderReportMarkdown(m), renderReportHtml(m)]) {
        expect(text).toContain(m.question!.to);
        expect(text).not.toContain(question.to);
      }
    }
  });

  it('still replace those names where the report holds names', () => {
    const a = new Anonymizer(snapshot);
    const m = createReportModel({
      snapshot,
      engine: createEngine(snapshot),
      question: { from: 'frontend/web-7d9f8b6c5-x2k4p', to: 'ingress/controller-0', port: 80 },
      anonymize: true,
      version: 'test',
    });
    expect(m.question?.to).toBe(`${a.text('ingress')}/${a.text('controller-0')}`);
    expect(a.text('ingress')).toMatch(/^ns-\d+$/);
    expect(m.diagnosis?.destination.name).toBe(m.question?.to);
    expect(m.coverage.map((r) => r.namespace)).not.toContain('ingress');
    expect(m.coverage.map((r) => r.namespace)).toContain(a.text('ingress'));
  });
});
