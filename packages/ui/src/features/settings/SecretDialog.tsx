/** The once-only view of a new or rotated API key's secret, with copy buttons and ready-to-paste snippets. */
import type { KeyWithSecret } from '../../api-governance.ts';
import { CopyButton } from '../../components/CopyButton.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { keySnippets } from './snippets.ts';

/** The dialog. */
export function SecretDialog({
  keyWithSecret,
  isRotated,
  onClose,
}: {
  keyWithSecret: KeyWithSecret;
  isRotated: boolean;
  onClose: () => void;
}) {
  const { id, name, secretKey } = keyWithSecret;
  return (
    <Dialog
      title={isRotated ? `New secret for ${name}` : `API key ${name} created`}
      label="API key secret"
      isWide
      onClose={onClose}
      footer={
        <button type="button" className="btn primary" onClick={onClose}>
          I have copied the secret
        </button>
      }
    >
      <div className="stack">
        <div className="notice warn" role="status">
          Copy the secret now: it is shown only this once. Argus keeps only a hash of it
          {isRotated ? '; the old secret stopped working.' : '.'}
        </div>
        <dl className="kv-grid secret-grid">
          <dt>Public key</dt>
          <dd className="row nowrap">
            <code data-testid="public-key">{id}</code>
            <CopyButton text={id} label="Copy public key" />
          </dd>
          <dt>Secret key</dt>
          <dd className="row nowrap">
            <code className="secret" data-testid="secret-key">
              {secretKey}
            </code>
            <CopyButton text={secretKey} label="Copy secret" />
          </dd>
        </dl>
        {keySnippets(window.location.origin, id, secretKey).map((snippet) => (
          <div key={snippet.title}>
            <div className="section-title">{snippet.title}</div>
            <div className="snippet">
              <pre>
                <code>{snippet.text}</code>
              </pre>
              <CopyButton text={snippet.text} className="copy" />
            </div>
          </div>
        ))}
      </div>
    </Dialog>
  );
}
