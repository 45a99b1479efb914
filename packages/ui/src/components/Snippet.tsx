/** Text to paste elsewhere with its copy button: a block (a command, a link), or a value in a line (an id, a secret). */
import { CopyButton } from './CopyButton.tsx';

/** A block; `label` names its copy button, `testId` its text. */
export function Snippet({ text, label, testId }: { text: string; label?: string; testId?: string }) {
  return (
    <div className="snippet">
      <pre>
        <code data-testid={testId}>{text}</code>
      </pre>
      <CopyButton text={text} label={label} className="copy" />
    </div>
  );
}

/** A value and its copy button, to place in a row; `isSecret` styles a secret. */
export function CopyableCode({
  text,
  label,
  testId,
  isSecret = false,
}: {
  text: string;
  label: string;
  testId?: string;
  isSecret?: boolean;
}) {
  return (
    <>
      <code className={isSecret ? 'secret' : undefined} data-testid={testId}>
        {text}
      </code>
      <CopyButton text={text} label={label} />
    </>
  );
}
