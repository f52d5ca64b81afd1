import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { EmptyState } from './empty-state';
import { ErrorBox } from './error-box';
import { StatusDot } from './status-dot';
import { VerdictBadge } from './verdict-badge';
import { VerdictMatrix } from './verdict-matrix';

describe('small components (server-rendered)', () => {
  it('the empty state gives the one command to ingest logs', () => {
    const html = renderToString(<EmptyState />);
    expect(html).toContain('pnpm runcast ingest');
    expect(html).toContain('runcast demo');
  });

  it("an error box shows the server's message and an unreachable server as such", () => {
    const notFound = renderToString(
      <ErrorBox error={new Error('run 999 not found')} context="run 999" />,
    );
    expect(notFound).toContain('run 999 not found');
    expect(notFound).toContain('role="alert"');
    const down = renderToString(<ErrorBox error={new TypeError('Failed to fetch')} />);
    expect(down).toContain('Cannot reach the Runcast server');
    expect(down).toContain('data-code="UNREACHABLE"');
  });

  it('a running run gets the live dot class, verdicts their colour class', () => {
    expect(renderToString(<StatusDot status="running" />)).toContain('status-running');
    const badge = renderToString(
      <VerdictBadge verdict="stop" reason="ends above best" probability={0.01} />,
    );
    expect(badge).toContain('verdict-stop');
    expect(badge).toContain('ends above best');
  });

  it('the verdict matrix shows P(row below column) off the diagonal', () => {
    const html = renderToString(
      <VerdictMatrix
        names={['a', 'b']}
        p={[
          [0.5, 0.83],
          [0.17, 0.5],
        ]}
      />,
    );
    expect(html).toContain('83%');
    expect(html).toContain('17%');
    expect((html.match(/<td>—<\/td>/g) ?? []).length).toBe(2);
  });
});
