import { useState } from 'react';
import { readReadToken, saveReadToken } from '../lib/api-token';

/**
 * Shown when the server refuses a read (401): it is bound to a public address without
 * --public-read. The token is kept in this browser; the page reloads so every request and the
 * live stream carry it.
 */
export function ReadTokenForm() {
  const [token, setToken] = useState(readReadToken() ?? '');
  return (
    <form
      className="read-token-form"
      onSubmit={(e) => {
        e.preventDefault();
        saveReadToken(token.trim() || null);
        window.location.reload();
      }}
    >
      <label>
        read token (<code>pnpm runcast token create --name dashboard --scope read</code>)
        <input
          type="password"
          name="read-token"
          autoComplete="off"
          value={token}
          onChange={(e) => setToken(e.target.value)}
        />
      </label>
      <button type="submit" disabled={token.trim() === ''}>
        Use token
      </button>
    </form>
  );
}
