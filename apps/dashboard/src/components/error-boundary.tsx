import { Component, type ReactNode } from 'react';
import { ErrorBox } from './error-box';

/** Catches render errors and failed lazy chunks (server gone) so one view never blanks the app. */
export class ErrorBoundary extends Component<
  { children: ReactNode; resetKey: string },
  { error: unknown; resetKey: string }
> {
  override state = { error: null as unknown, resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  static getDerivedStateFromProps(
    props: { resetKey: string },
    state: { error: unknown; resetKey: string },
  ) {
    return props.resetKey === state.resetKey ? null : { error: null, resetKey: props.resetKey };
  }

  override render() {
    if (this.state.error) {
      return <ErrorBox error={this.state.error} onRetry={() => window.location.reload()} />;
    }
    return this.props.children;
  }
}
