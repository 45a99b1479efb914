/**
 * Erasing a trace, user or session: a confirmation naming exactly what is deleted and from which
 * project, then the receipt. Used by Settings → Retention & erasure and the trace, user and
 * session pages (project admins).
 */

import type { ErasureReceipt, ErasureSubject } from '@argus/shared';
import { useState } from 'react';
import { requestErasure } from '../../api-governance.ts';
import { AcknowledgeDialog } from '../../components/AcknowledgeDialog.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { useAuth } from '../account/auth-context.ts';
import { erasureScope } from './erasure-text.ts';
import { ReceiptView } from './ReceiptView.tsx';

/** The dialog; `onErased` runs when the receipt is shown. */
export function EraseDialog({
  subject,
  onClose,
  onErased,
}: {
  subject: ErasureSubject;
  onClose: () => void;
  onErased?: (receipt: ErasureReceipt) => void;
}) {
  const { project, projectId } = useAuth();
  const [receipt, setReceipt] = useState<ErasureReceipt | undefined>();
  if (receipt)
    return (
      <AcknowledgeDialog title="Erasure receipt" onClose={onClose}>
        <ReceiptView receipt={receipt} />
      </AcknowledgeDialog>
    );
  return (
    <ConfirmDialog
      title="Erase data permanently?"
      confirmLabel="Erase permanently"
      isDanger
      onClose={onClose}
      onConfirm={async () => {
        const result = await requestErasure(subject);
        setReceipt(result);
        onErased?.(result);
      }}
    >
      <p style={{ margin: 0 }}>
        This deletes {erasureScope(subject)} from project <strong>{project?.name ?? projectId}</strong>, now
        and for good. It cannot be undone.
      </p>
      <p className="muted" style={{ margin: 0 }}>
        The receipt and the audit log record who erased what kind of subject and how many rows went; they keep
        only a keyed hash of the id, never the id itself.
      </p>
    </ConfirmDialog>
  );
}
