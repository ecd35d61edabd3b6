import { create } from 'zustand';
import { ApiError } from '@shared/api/contract';

export interface Toast {
  id: number;
  kind: 'error' | 'info' | 'success';
  title: string;
  message: string;
  details?: string[];
}

interface ToastState {
  toasts: Toast[];
  push(t: Omit<Toast, 'id'>): number;
  dismiss(id: number): void;
}

let nextId = 1;

export const useToasts = create<ToastState>((set) => ({
  toasts: [],
  push(t) {
    const id = nextId++;
    set((s) => ({ toasts: [...s.toasts.slice(-4), { ...t, id }] }));
    if (t.kind !== 'error') setTimeout(() => useToasts.getState().dismiss(id), 4000);
    return id;
  },
  dismiss(id) {
    set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
  },
}));

/** The code and message of any thrown value, never a stack. */
export function describeError(e: unknown): { code: string; message: string; details?: string[] } {
  if (e instanceof ApiError) return { code: e.code, message: e.message, details: e.details };
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) {
    const o = e as { code: unknown; message: unknown; details?: unknown };
    return {
      code: String(o.code),
      message: String(o.message),
      details: Array.isArray(o.details) ? o.details.map(String) : undefined,
    };
  }
  if (e instanceof Error) return { code: 'error', message: e.message };
  return { code: 'error', message: String(e) };
}

/** Shows an API error as a toast: "<what failed>" with its code and message. */
export function toastError(what: string, e: unknown): void {
  const d = describeError(e);
  useToasts
    .getState()
    .push({ kind: 'error', title: `${what} (${d.code})`, message: d.message, details: d.details });
}

export function toastInfo(title: string, message = '', kind: 'info' | 'success' = 'success'): void {
  useToasts.getState().push({ kind, title, message });
}
