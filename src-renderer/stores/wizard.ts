import { create } from 'zustand';
import type { DiagnoseFix, Diagnosis, Question } from '@shared/diagnose/types';
import { api } from '../api';
import { describeError } from './toasts';
import { useSession } from './session';
import { emptyDraft, sameQuestion, type QuestionDraft } from '../views/wizard/question';

export interface WhatIf {
  /** fixes applied, in order, to a copy of the snapshot */
  fixes: DiagnoseFix[];
  diagnosis: Diagnosis;
  /** verdict before any fix */
  before: Diagnosis['verdict'];
}

interface WizardState {
  draft: QuestionDraft;
  /** notes under the pickers ("Service backend/api → 2 pods; using …") */
  notes: { from?: string; to?: string };
  running: boolean;
  diagnosis?: Diagnosis;
  /** the snapshot the diagnosis ran on */
  snapshotId?: string;
  error?: { code: string; message: string; details?: string[] };
  /** expanded step ids */
  expanded: Record<string, boolean>;
  whatIf?: WhatIf;
  whatIfBusy: boolean;
  whatIfError?: string;

  setDraft(patch: Partial<QuestionDraft>): void;
  setNote(side: 'from' | 'to', note: string | undefined): void;
  run(q: Question): Promise<void>;
  toggle(step: string, open?: boolean): void;
  applyWhatIf(fix: DiagnoseFix): Promise<void>;
  clearWhatIf(): void;
  reset(): void;
}

let runTicket = 0;

export const useWizard = create<WizardState>((set, get) => ({
  draft: emptyDraft,
  notes: {},
  running: false,
  expanded: {},
  whatIfBusy: false,

  setDraft: (patch) => set((s) => ({ draft: { ...s.draft, ...patch } })),
  setNote: (side, note) => set((s) => ({ notes: { ...s.notes, [side]: note } })),

  async run(question) {
    const snapshotId = useSession.getState().summary?.snapshotId;
    if (!snapshotId) {
      set({ error: { code: 'no-snapshot', message: 'Open a context, snapshot or the demo first.' } });
      return;
    }
    const ticket = ++runTicket;
    const prev = get().diagnosis;
    const keepExpanded = prev && sameQuestion(prev.question, question) ? get().expanded : undefined;
    // the same question again (a live update) keeps the old result on screen until the new one arrives
    set({
      running: true,
      error: undefined,
      whatIf: undefined,
      whatIfError: undefined,
      diagnosis: keepExpanded ? prev : undefined,
    });
    try {
      const diagnosis = await api.diagnose.run({ snapshotId, question });
      if (ticket !== runTicket) return;
      const expanded: Record<string, boolean> = keepExpanded ?? {};
      if (!keepExpanded) {
        for (const s of diagnosis.steps)
          expanded[s.id] = s.status === 'fail' || s.status === 'warn' || s.id === 'verdict';
      }
      set({ diagnosis, snapshotId, running: false, expanded });
    } catch (e) {
      if (ticket !== runTicket) return;
      set({ running: false, error: describeError(e), diagnosis: undefined });
    }
  },

  toggle: (step, open) => set((s) => ({ expanded: { ...s.expanded, [step]: open ?? !s.expanded[step] } })),

  async applyWhatIf(fix) {
    const { diagnosis, whatIf } = get();
    const snapshot = useSession.getState().snapshot;
    if (!diagnosis || !snapshot) return;
    set({ whatIfBusy: true, whatIfError: undefined });
    try {
      const { whatIfDiagnose } = await import('../views/wizard/what-if');
      const fixes = [...(whatIf?.fixes ?? []), fix];
      const result = whatIfDiagnose(snapshot, fixes, diagnosis.question);
      const expanded: Record<string, boolean> = {};
      for (const s of result.steps)
        expanded[s.id] = s.status === 'fail' || s.status === 'warn' || s.id === 'verdict';
      set({
        whatIf: { fixes, diagnosis: result, before: whatIf?.before ?? diagnosis.verdict },
        whatIfBusy: false,
        expanded,
      });
    } catch (e) {
      set({ whatIfBusy: false, whatIfError: describeError(e).message });
    }
  },

  clearWhatIf: () => set({ whatIf: undefined, whatIfError: undefined }),
  reset: () => set({ diagnosis: undefined, whatIf: undefined, error: undefined }),
}));
