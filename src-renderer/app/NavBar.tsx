import { useRoute, views, navigate, routeHash } from '../lib/router';
import { useSession } from '../stores/session';

const icons: Record<string, string> = { overview: '◧', wizard: '➜', flows: '≋', check: '☑', lint: '⚑' };

export function NavBar() {
  const { view } = useRoute();
  const summary = useSession((s) => s.summary);
  return (
    <nav className="nav" aria-label="Views">
      <ul>
        {views.map((v, i) => (
          <li key={v.id}>
            <a
              href={routeHash(v.id)}
              className={`nav-link ${view === v.id ? 'active' : ''}`}
              aria-current={view === v.id ? 'page' : undefined}
              aria-keyshortcuts={`Alt+${i + 1}`}
              onClick={(e) => {
                e.preventDefault();
                navigate(v.id);
              }}
            >
              <span className="nav-icon" aria-hidden="true">
                {icons[v.id]}
              </span>
              <span className="nav-text">
                <span className="nav-label">{v.label}</span>
                <span className="nav-hint">{v.hint}</span>
              </span>
            </a>
          </li>
        ))}
      </ul>
      <div className="nav-foot faint">
        {summary ? (
          <>
            {summary.counts.pods} pods · {Object.values(summary.counts.policies).reduce((a, b) => a + b, 0)}{' '}
            policies
          </>
        ) : (
          'No snapshot'
        )}
        <div className="nav-keys">
          <span className="kbd">Alt</span>+<span className="kbd">1–5</span> views
        </div>
      </div>
    </nav>
  );
}
