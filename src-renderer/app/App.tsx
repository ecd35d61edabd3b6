import { lazy, Suspense, useEffect } from 'react';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { Toasts } from '../components/Toasts';
import { navigate, useRoute, views } from '../lib/router';
import { subscribeSessionEvents, useSession } from '../stores/session';
import { ContextPicker } from './ContextPicker';
import { LoadProgress } from './LoadProgress';
import { NavBar } from './NavBar';
import { TitleBar } from './TitleBar';
import { OverviewView } from '../views/overview/OverviewView';

const WizardView = lazy(() => import('../views/wizard/WizardView').then((m) => ({ default: m.WizardView })));
const FlowsView = lazy(() => import('../views/flows/FlowsView').then((m) => ({ default: m.FlowsView })));
const CheckView = lazy(() => import('../views/check/CheckView').then((m) => ({ default: m.CheckView })));
const LintView = lazy(() => import('../views/lint/LintView').then((m) => ({ default: m.LintView })));

export function App() {
  const { view } = useRoute();

  useEffect(() => {
    const off = subscribeSessionEvents();
    void useSession.getState().init();
    return off;
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        useSession.getState().setPickerOpen(!useSession.getState().pickerOpen);
      } else if (e.altKey && !e.ctrlKey && !e.metaKey && /^[1-5]$/.test(e.key)) {
        e.preventDefault();
        navigate(views[Number(e.key) - 1].id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const title = views.find((v) => v.id === view)?.label ?? '';
  useEffect(() => {
    document.title = `${title} — Netpol Doctor`;
  }, [title]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <TitleBar />
      <div className="app-body">
        <NavBar />
        <main id="main" className="main" tabIndex={-1} aria-label={title}>
          <LoadProgress />
          <ErrorBoundary area={`${title} view`} key={view}>
            <Suspense
              fallback={
                <div className="empty">
                  <span className="spinner" />
                </div>
              }
            >
              {view === 'overview' && <OverviewView />}
              {view === 'wizard' && <WizardView />}
              {view === 'flows' && <FlowsView />}
              {view === 'check' && <CheckView />}
              {view === 'lint' && <LintView />}
            </Suspense>
          </ErrorBoundary>
        </main>
      </div>
      <ContextPicker />
      <Toasts />
    </div>
  );
}
