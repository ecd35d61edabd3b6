import { readFile, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseSnapshotTexts } from '@shared/snapshot/parse';
import type { Snapshot, SnapshotSource } from '@shared/snapshot/types';

export { SnapshotParseError } from '@shared/snapshot/parse';

/** A path the user gave cannot be read (missing, unreadable, a directory without snapshot files). */
export class SnapshotFileError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'SnapshotFileError';
  }
}

const SNAPSHOT_FILE = /\.(ya?ml|json)$/i;

async function expand(path: string, out: string[]): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SnapshotFileError(
      code === 'ENOENT'
        ? `${path}: no such file or directory`
        : `${path}: cannot read (${code ?? String(err)})`,
      path,
    );
  }
  if (!info.isDirectory()) {
    out.push(path);
    return;
  }
  const entries = await readdir(path, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const p = join(path, e.name);
    if (e.isDirectory()) await expand(p, out);
    else if (SNAPSHOT_FILE.test(e.name)) out.push(p);
  }
}

/**
 * UTF-8, or UTF-16 with a byte-order mark: what `kubectl get -o yaml > file` writes in Windows PowerShell 5.
 */
export function decodeText(buf: Buffer): string {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe)
    return new TextDecoder('utf-16le').decode(buf.subarray(2));
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff)
    return new TextDecoder('utf-16be').decode(buf.subarray(2));
  return buf.toString('utf8');
}

/**
 * Loads one or several `kubectl get -o yaml|json` files, or directories of them (recursive, .yaml/.yml/.json,
 * in name order), into one Snapshot. Throws SnapshotFileError for paths that cannot be read and
 * SnapshotParseError (file, line, column) for malformed content.
 */
export async function loadSnapshotFiles(paths: string[], source?: SnapshotSource): Promise<Snapshot> {
  if (paths.length === 0) throw new SnapshotFileError('no snapshot file given', '');
  const files: string[] = [];
  for (const p of paths) {
    const before = files.length;
    await expand(p, files);
    if (files.length === before)
      throw new SnapshotFileError(`${p}: directory contains no .yaml, .yml or .json files`, p);
  }
  const texts = await Promise.all(
    files.map(async (name) => {
      try {
        return { name, text: decodeText(await readFile(name)) };
      } catch (err) {
        throw new SnapshotFileError(
          `${name}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
          name,
        );
      }
    }),
  );
  return parseSnapshotTexts(texts, source ?? { type: 'files', paths: paths.map((p) => resolve(p)) });
}
