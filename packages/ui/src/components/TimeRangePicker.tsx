/** Time range: relative presets, or a custom from/to entered in local time. */
import { useState } from 'react';
import { DEFAULT_RANGE, describeWindow } from '../lib/time-range.ts';
import { RANGE_PRESETS, type RangePreset, type ViewParams } from '../lib/url-state.ts';
import { TextField } from './FormControls.tsx';

/** Props of {@link TimeRangePicker}. */
export interface TimeRangePickerProps {
  params: ViewParams;
  onChange: (patch: { range?: RangePreset; from?: string; to?: string }) => void;
}

function toLocalInput(iso: string | undefined, fallbackMs: number): string {
  const ms = iso ? Date.parse(iso) : fallbackMs;
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

/** The picker. */
export function TimeRangePicker({ params, onChange }: TimeRangePickerProps) {
  const isCustom = Boolean(params.from && params.to);
  const [isOpen, setOpen] = useState(false);
  const now = Date.now();
  const [from, setFrom] = useState(() => toLocalInput(params.from, now - 3600_000));
  const [to, setTo] = useState(() => toLocalInput(params.to, now));
  const active = isCustom ? 'custom' : (params.range ?? DEFAULT_RANGE);
  const apply = () => {
    const fromMs = new Date(from).getTime();
    const toMs = new Date(to).getTime();
    if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || toMs <= fromMs) return;
    onChange({ range: undefined, from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() });
    setOpen(false);
  };
  const isValid = new Date(to).getTime() > new Date(from).getTime();
  return (
    <div className="relative row" style={{ gap: 6 }}>
      <fieldset className="seg" aria-label="Time range">
        {RANGE_PRESETS.map((preset) => (
          <button
            type="button"
            key={preset}
            aria-pressed={active === preset}
            onClick={() =>
              onChange({
                range: preset === DEFAULT_RANGE ? undefined : preset,
                from: undefined,
                to: undefined,
              })
            }
          >
            {preset}
          </button>
        ))}
        <button
          type="button"
          aria-pressed={active === 'custom'}
          onClick={() => setOpen(!isOpen)}
          title={describeWindow(params)}
        >
          {isCustom ? describeWindow(params) : 'Custom'}
        </button>
      </fieldset>
      {isOpen && (
        <div className="popover" style={{ top: '100%', right: 0 }}>
          <div className="row" style={{ alignItems: 'flex-end' }}>
            <TextField label="From" type="datetime-local" value={from} onValue={setFrom} />
            <TextField label="To" type="datetime-local" value={to} onValue={setTo} />
            <button type="button" className="btn primary" onClick={apply} disabled={!isValid}>
              Apply
            </button>
          </div>
          {!isValid && (
            <div className="error-text" style={{ marginTop: 6 }}>
              The end must be after the start
            </div>
          )}
        </div>
      )}
    </div>
  );
}
