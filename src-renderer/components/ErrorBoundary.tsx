import { Component, type ReactNode } from 'react';

interface Props {
  children: ReactNode;
  /** shown in the heading: "The Wizard view stopped working" */
  area: string;
}

/** Catches render errors of one area and shows a readable message instead of a blank window. */
export class ErrorBoundary extends Component<Props, { error?: Error }> {
  override state: { error?: Error } = {};

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error) {
    console.error(`[${this.props.area}]`, error.message);
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="empty" role="alert">
        <h2>The {this.props.area} stopped working</h2>
        <p>
          Something in this view failed to display:{' '}
          <span className="mono">{error.message || String(error)}</span>
        </p>
        <p className="faint">The rest of the app still works. Try again, or switch to another view.</p>
        <button type="button" className="btn primary" onClick={() => this.setState({ error: undefined })}>
          Try again
        </button>
      </div>
    );
  }
}
