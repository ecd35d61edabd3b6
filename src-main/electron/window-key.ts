import type { InitialView } from '../app/startup-args';

/** One window per context or snapshot: this key says which window an initial view belongs to. */
export function windowKey(view: InitialView): string {
  switch (view.kind) {
    case 'context':
      return `context:${view.context}`;
    case 'files':
      return `files:${[...view.paths].sort().join('\n')}`;
    case 'demo':
      return 'demo';
    case 'none':
      return 'start';
  }
}
