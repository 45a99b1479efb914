/**
 * The two sides of a comparison, A (baseline) and B (candidate): the picker of each, and the link
 * to each side's trace of an item.
 */
import { OptionSelect } from '../../components/FormControls.tsx';
import { Link } from '../../components/Link.tsx';
import { shortId } from '../../lib/format.ts';

/** Each side's letter and name. */
const SIDES = { baseline: ['A', 'Baseline'], candidate: ['B', 'Candidate'] } as const;

/** A link to one side's trace of an item, `A 1a2b3c` (nothing when that side has no trace). */
export function SideTraceLink({
  side,
  itemId,
  traceId,
}: {
  side: keyof typeof SIDES;
  itemId: string;
  traceId: string | undefined;
}) {
  if (!traceId) return null;
  const [letter, name] = SIDES[side];
  return (
    <Link
      to={`/traces/${encodeURIComponent(traceId)}`}
      className="mono"
      aria-label={`${name} trace of ${itemId}`}
      title={`${name} trace ${traceId}`}
    >
      {letter} {shortId(traceId, 6)}
    </Link>
  );
}

/** One side's picker: a labelled select of the experiments. */
export function SidePicker({
  side,
  options,
  value,
  onPick,
}: {
  side: keyof typeof SIDES;
  options: readonly (readonly [string, string])[];
  value: string;
  onPick: (patch: { baseline?: string; candidate?: string }) => void;
}) {
  const [letter, name] = SIDES[side];
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: OptionSelect renders the select inside the label
    <label className="row muted" style={{ fontWeight: 400 }}>
      {letter} ({name.toLowerCase()})
      <OptionSelect
        aria-label={name}
        options={options}
        value={value}
        onValue={(v) => onPick({ [side]: v })}
      />
    </label>
  );
}
