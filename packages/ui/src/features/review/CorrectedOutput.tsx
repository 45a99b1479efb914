/**
 * The review form's optional corrected output: what the answer should have been, kept with the
 * review and, when a dataset is picked, written into it as the expected output of the item's input
 * (the item id is the trace or span id, so correcting again updates that item).
 */
import { fetchDatasets } from '../../api-quality.ts';
import { SelectField } from '../../components/FormControls.tsx';
import { useApi } from '../../lib/use-api.ts';

/** The fields. */
export function CorrectedOutput({
  text,
  onText,
  datasetId,
  onDataset,
  hasTrace,
}: {
  text: string;
  onText: (text: string) => void;
  datasetId: string;
  onDataset: (id: string) => void;
  hasTrace: boolean;
}) {
  const datasets = useApi(hasTrace ? 'review-datasets' : undefined, (signal) => fetchDatasets(signal));
  const options = [
    ['', 'keep with the review only'] as const,
    ...(datasets.data?.data ?? []).map((d) => [d.id, d.name] as const),
  ];
  return (
    <details className="corrected" open={text !== ''}>
      <summary>Corrected output</summary>
      <div className="stack">
        <textarea
          aria-label="Corrected output"
          rows={4}
          placeholder="What the answer should have been"
          value={text}
          onChange={(e) => onText(e.target.value)}
        />
        {hasTrace && (
          <SelectField
            label="Add to dataset"
            name="correctedDataset"
            options={options}
            value={datasetId}
            onValue={onDataset}
          />
        )}
      </div>
    </details>
  );
}
