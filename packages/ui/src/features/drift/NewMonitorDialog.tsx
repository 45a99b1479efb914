/** Creates a drift monitor: name, features, the current window's length and how often it runs. */
import type { DriftFeatureName } from '@argus/shared';
import { useState } from 'react';
import { createDriftMonitor } from '../../api-drift.ts';
import { Dialog, DialogButtons } from '../../components/Dialog.tsx';
import { FieldError, TextField } from '../../components/FormControls.tsx';
import type { ViewParams } from '../../lib/url-state.ts';
import { FeaturePicker, filterOf } from './ComparePanel.tsx';

/** The dialog. */
export function NewMonitorDialog({
  params,
  onClose,
  onCreated,
}: {
  params: ViewParams;
  onClose: () => void;
  onCreated: (id: string) => void;
}) {
  const [name, setName] = useState('');
  const [features, setFeatures] = useState<DriftFeatureName[]>([
    'input',
    'output',
    'outputTokens',
    'latency',
  ]);
  const [window, setWindow] = useState('1h');
  const [schedule, setSchedule] = useState('1h');
  const [error, setError] = useState<string>();
  const filter = filterOf(params);
  const save = async () => {
    try {
      const { data } = await createDriftMonitor({ name, features, window, schedule, filter });
      onCreated(data.id);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Dialog
      title="New drift monitor"
      onClose={onClose}
      isWide
      footer={
        <DialogButtons onCancel={onClose} onConfirm={save} isDisabled={!name.trim() || features.length === 0}>
          Create
        </DialogButtons>
      }
    >
      <div className="stack">
        <TextField label="Name" value={name} onValue={setName} width="grow" />
        <FeaturePicker value={features} onChange={setFeatures} />
        <div className="row">
          <TextField
            label="Window"
            value={window}
            onValue={setWindow}
            width="narrow"
            title="Length of the current window: 30m, 1h, 1d"
          />
          <TextField
            label="Every"
            value={schedule}
            onValue={setSchedule}
            width="narrow"
            title="How often it runs: 15m, 1h, 1d"
          />
        </div>
        <p className="muted" style={{ margin: 0 }}>
          Each run compares the last window with the window before it
          {Object.keys(filter).length > 0
            ? `, for ${Object.entries(filter)
                .map(([k, v]) => `${k} ${v.join('|')}`)
                .join(', ')}`
            : ''}
          .
        </p>
        {error && <FieldError>{error}</FieldError>}
      </div>
    </Dialog>
  );
}
