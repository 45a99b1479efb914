/** The warning shown on every page while authentication is off; dismissed for the browser session. */
import { useState } from 'react';
import { Icons } from '../../components/Icons.tsx';
import { Link } from '../../components/Link.tsx';

const KEY = 'argus-open-banner-dismissed';

function isDismissed(): boolean {
  try {
    return window.sessionStorage.getItem(KEY) === '1';
  } catch {
    return false;
  }
}

/** The banner. */
export function OpenModeBanner() {
  const [isHidden, setHidden] = useState(isDismissed);
  if (isHidden) return null;
  const dismiss = () => {
    try {
      window.sessionStorage.setItem(KEY, '1');
    } catch {
      // Without session storage the banner comes back on the next load.
    }
    setHidden(true);
  };
  return (
    <section className="banner warn" aria-label="Authentication is off">
      <Icons.warning />
      <span>
        Authentication is off — anyone who can reach this address can read and change everything. Start Argus
        with <code>--auth on</code> to require sign-in. <Link to="/settings/security">Security settings</Link>
      </span>
      <button type="button" className="btn ghost small" onClick={dismiss} aria-label="Dismiss warning">
        Dismiss
      </button>
    </section>
  );
}
