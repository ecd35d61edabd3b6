import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_VERSION } from '../version';
import { packageRoot } from '../paths';

describe('version', () => {
  it('the app and CLI report the package.json version (scripts/build.mjs keeps them in sync)', () => {
    const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as {
      version: string;
      engines: { node: string };
    };
    expect(APP_VERSION).toBe(pkg.version);
    // Electron 45 tooling and client-node 2 need Node >= 22
    expect(pkg.engines.node).toMatch(/^>=22/);
  });
});
