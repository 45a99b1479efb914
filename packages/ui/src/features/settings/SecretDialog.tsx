/** The once-only view of a new or rotated API key's secret, with copy buttons and ready-to-paste snippets. */
import type { KeyWithSecret } from '@argus/shared';
import { AcknowledgeDialog } from '../../components/AcknowledgeDialog.tsx';
import { CopyableCode, Snippet } from '../../components/Snippet.tsx';
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
    <AcknowledgeDialog
      title={isRotated ? `New secret for ${name}` : `API key ${name} created`}
      label="API key secret"
      isWide
      buttonLabel="I have copied the secret"
      warning={
        <>
          Copy the secret now: it is shown only this once. Argus keeps only a hash of it
          {isRotated ? '; the old secret stopped working.' : '.'}
        </>
      }
      onClose={onClose}
    >
      <dl className="kv-grid secret-grid">
        <dt>Public key</dt>
        <dd className="row nowrap">
          <CopyableCode text={id} label="Copy public key" testId="public-key" />
        </dd>
        <dt>Secret key</dt>
        <dd className="row nowrap">
          <CopyableCode text={secretKey} label="Copy secret" testId="secret-key" isSecret />
        </dd>
      </dl>
      {keySnippets(window.location.origin, id, secretKey).map((snippet) => (
        <div key={snippet.title}>
          <div className="section-title">{snippet.title}</div>
          <Snippet text={snippet.text} />
        </div>
      ))}
    </AcknowledgeDialog>
  );
}
