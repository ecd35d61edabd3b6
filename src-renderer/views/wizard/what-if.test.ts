/// <reference types="node" />
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSnapshotTexts } from '@shared/snapshot/parse';
import { createEngine } from '@shared/engine';
import { diagnose } from '@shared/diagnose';
import { demoQuestions } from './demo-questions';
import { whatIfDiagnose } from './what-if';

const text = readFileSync(new URL('../../../assets/demo/cluster.yaml', import.meta.url), 'utf8');
const snapshot = parseSnapshotTexts([{ name: 'cluster.yaml', text }], {
  type: 'demo',
  paths: ['cluster.yaml'],
});

describe('what-if on the demo snapshot', () => {
  for (const d of demoQuestions) {
    it(`(${d.id}) ${d.label}: applying the cause step's first fix flips the verdict`, () => {
      const before = diagnose(createEngine(snapshot), d.question);
      const cause = before.steps.find((s) => s.id === before.cause);
      const fix = cause?.findings.find((f) => f.fix)?.fix;
      expect(fix, `the ${before.cause} step offers a fix`).toBeDefined();
      const after = whatIfDiagnose(snapshot, [fix!], d.question);
      expect(after.verdict).not.toBe(before.verdict);
      // the original snapshot is untouched
      expect(diagnose(createEngine(snapshot), d.question).verdict).toBe(before.verdict);
    });
  }
});
