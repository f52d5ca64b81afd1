import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect } from 'react';
import { ErrorBoundary } from './components/error-boundary';
import { Link } from './components/link';
import { Skeleton } from './components/skeleton';
import { ThemeToggle } from './components/theme-toggle';
import { useRoute } from './hooks/use-location';
import { usePageTitle } from './hooks/use-page-title';
import { prefetchRoute } from './lib/prefetch-route';
import { useTRPC } from './lib/trpc';
import { RunsPage } from './routes/runs-page';

const loadRunPage = () => import('./routes/run-page');
const loadComparePage = () => import('./routes/compare-page');
// Start loading the first view's code at once, not after the shell has rendered.
if (window.location.pathname.startsWith('/runs/')) void loadRunPage();
if (window.location.pathname === '/compare') void loadComparePage();
const RunPage = lazy(loadRunPage);
const ComparePage = lazy(loadComparePage);

export function App() {
  const route = useRoute();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const routeKey =
    route.name === 'run'
      ? `run:${route.id}`
      : route.name === 'compare'
        ? `compare:${route.ids.join(',')}`
        : route.name;
  // Prefetch once per view (route objects are new on every render).
  useEffect(() => {
    prefetchRoute({ route, trpc, queryClient });
  }, [routeKey]);
  useEffect(() => {
    // Fetch the other views' code once the first one is up (instant navigation, works offline).
    const id = window.setTimeout(() => {
      void loadRunPage();
      void loadComparePage();
    }, 1500);
    return () => window.clearTimeout(id);
  }, []);
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
        <ErrorBoundary resetKey={route.name === 'not-found' ? route.path : route.name}>
          <Suspense fallback={<Skeleton height={320} label="loading page" />}>
            {route.name === 'runs' && <RunsPage />}
            {route.name === 'run' && <RunPage key={route.id} runId={route.id} />}
            {route.name === 'compare' && <ComparePage ids={route.ids} />}
            {route.name === 'not-found' && <NotFound path={route.path} />}
          </Suspense>
        </ErrorBoundary>
      </main>
    </>
  );
}

function NotFound(props: { path: string }) {
  usePageTitle('Page not found');
  return (
    <div className="error-box" role="alert">
      <strong>Page not found</strong>
      <p>
        Nothing at <code>{props.path}</code>. <Link href="/">Back to the runs</Link>
      </p>
    </div>
  );
}
