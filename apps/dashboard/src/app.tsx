import { lazy, Suspense } from 'react';
import { Link } from './components/link';
import { Skeleton } from './components/skeleton';
import { ThemeToggle } from './components/theme-toggle';
import { useRoute } from './hooks/use-location';
import { RunsPage } from './routes/runs-page';

const RunPage = lazy(() => import('./routes/run-page'));
const ComparePage = lazy(() => import('./routes/compare-page'));

export function App() {
  const route = useRoute();
  return (
    <>
      <header className="topbar">
        <Link href="/" className="brand">
          Runcast
        </Link>
        <nav aria-label="main">
          <Link href="/">Runs</Link>
        </nav>
        <span className="spacer" />
        <ThemeToggle />
      </header>
      <main>
        <Suspense fallback={<Skeleton height={320} label="loading page" />}>
          {route.name === 'runs' && <RunsPage />}
          {route.name === 'run' && <RunPage key={route.id} runId={route.id} />}
          {route.name === 'compare' && <ComparePage ids={route.ids} />}
          {route.name === 'not-found' && (
            <div className="error-box" role="alert">
              <strong>Page not found</strong>
              <p>
                Nothing at <code>{route.path}</code>. <Link href="/">Back to the runs</Link>
              </p>
            </div>
          )}
        </Suspense>
      </main>
    </>
  );
}
