import { useEffect } from 'react';

/** Sets the document title ("<page> · Runcast") while the view is shown. */
export function usePageTitle(page: string | null | undefined): void {
  useEffect(() => {
    document.title = page ? `${page} · Runcast` : 'Runcast';
  }, [page]);
}
