/** What the dashboard says about a failed request: the server's own message when there is one. */
export interface ErrorDescription {
  title: string;
  message: string;
  code: string | null;
  /** The server could not be reached at all (down, wrong port, network). */
  unreachable: boolean;
}

function readCode(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return null;
  const data = (error as { data?: unknown }).data;
  if (typeof data === 'object' && data !== null) {
    const code = (data as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return null;
}

export function describeError(error: unknown): ErrorDescription {
  const code = readCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (
    code === null &&
    /fetch|network|ECONNREFUSED|Load failed|Unexpected end of JSON/i.test(message)
  ) {
    return {
      title: 'Cannot reach the Runcast server',
      message: `${message}. Is \`runcast serve\` running?`,
      code: null,
      unreachable: true,
    };
  }
  const titles: Record<string, string> = {
    NOT_FOUND: 'Not found',
    BAD_REQUEST: 'Bad request',
    UNAUTHORIZED: 'Not signed in',
    FORBIDDEN: 'Not allowed',
    PRECONDITION_FAILED: 'Not enough data',
    UNPROCESSABLE_CONTENT: 'Not enough data',
    INTERNAL_SERVER_ERROR: 'Server error',
  };
  return {
    title: (code && titles[code]) ?? 'Request failed',
    message,
    code,
    unreachable: false,
  };
}
