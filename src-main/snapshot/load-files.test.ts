import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SnapshotFileError, SnapshotParseError, loadSnapshotFiles } from './load-files';

const dir = mkdtempSync(join(tmpdir(), 'npd-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const nsYaml = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}}\n`;

describe('loadSnapshotFiles', () => {
  it('loads several files into one snapshot', async () => {
    writeFileSync(join(dir, 'a.yaml'), nsYaml('a'));
    writeFileSync(
      join(dir, 'b.json'),
      JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'b' } }),
    );
    const s = await loadSnapshotFiles([join(dir, 'a.yaml'), join(dir, 'b.json')]);
    expect(s.namespaces.map((n) => n.metadata.name)).toEqual(['a', 'b']);
    expect(s.source).toEqual({ type: 'files', paths: [join(dir, 'a.yaml'), join(dir, 'b.json')] });
  });

  it('loads a directory recursively, only .yaml/.yml/.json, in name order', async () => {
    const root = join(dir, 'tree');
    mkdirSync(join(root, 'sub', 'deeper'), { recursive: true });
    writeFileSync(join(root, 'z.yml'), nsYaml('z'));
    writeFileSync(join(root, 'sub', 'm.yaml'), nsYaml('m'));
    writeFileSync(
      join(root, 'sub', 'deeper', 'k.json'),
      JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'k' } }),
    );
    writeFileSync(join(root, 'README.md'), '# not a snapshot: {');
    const s = await loadSnapshotFiles([root]);
    expect(s.namespaces.map((n) => n.metadata.name)).toEqual(['k', 'm', 'z']);
  });

  it('reads UTF-16 files with a byte-order mark (PowerShell redirection) and UTF-8 with BOM', async () => {
    const yaml = nsYaml('from-powershell');
    writeFileSync(
      join(dir, 'ps.yaml'),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(yaml, 'utf16le')]),
    );
    writeFileSync(
      join(dir, 'bom.json'),
      `\ufeff${JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bom' } })}`,
    );
    const s = await loadSnapshotFiles([join(dir, 'ps.yaml'), join(dir, 'bom.json')]);
    expect(s.namespaces.map((n) => n.metadata.name)).toEqual(['from-powershell', 'bom']);
  });

  it('says which path is missing', async () => {
    await expect(loadSnapshotFiles([join(dir, 'nope.yaml')])).rejects.toThrow(SnapshotFileError);
    await expect(loadSnapshotFiles([join(dir, 'nope.yaml')])).rejects.toThrow(/nope\.yaml: no such file/);
  });

  it('rejects a directory with no snapshot files', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    await expect(loadSnapshotFiles([empty])).rejects.toThrow(/contains no \.yaml/);
  });

  it('names the malformed file and line inside a directory', async () => {
    const root = join(dir, 'bad');
    mkdirSync(root);
    writeFileSync(join(root, 'good.yaml'), nsYaml('a'));
    writeFileSync(join(root, 'broken.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: [a\n');
    const err = await loadSnapshotFiles([root]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SnapshotParseError);
    expect((err as SnapshotParseError).file).toBe(join(root, 'broken.yaml'));
    expect((err as SnapshotParseError).line).toBeGreaterThanOrEqual(4);
  });
});
