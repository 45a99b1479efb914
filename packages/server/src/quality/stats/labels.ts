/**
 * Classification metrics for label datasets (the expected output is a class): accuracy,
 * per-label precision, recall and F1, macro averages and the confusion matrix.
 */

/** Metrics of one label. */
export interface LabelMetrics {
  label: string;
  /** Items whose expected label is this one. */
  support: number;
  /** Undefined when nothing was predicted as this label. */
  precision: number | undefined;
  /** Undefined when no item expects this label. */
  recall: number | undefined;
  /** Undefined when precision or recall is, or both are 0. */
  f1: number | undefined;
}

/** The classification report of a label experiment. */
export interface ClassificationReport {
  n: number;
  accuracy: number;
  /** Labels in matrix order: expected labels and predictions, sorted. */
  labels: string[];
  /** `matrix[i][j]`: items expected `labels[i]` and predicted `labels[j]`. */
  confusionMatrix: number[][];
  perLabel: LabelMetrics[];
  /** Unweighted means over labels with a defined value. */
  macro: { precision: number | undefined; recall: number | undefined; f1: number | undefined };
}

/** Builds the classification report of `(expected, predicted)` pairs. */
export function classify(pairs: readonly { expected: string; predicted: string }[]): ClassificationReport {
  const labels = [...new Set(pairs.flatMap((p) => [p.expected, p.predicted]))].sort();
  const index = new Map(labels.map((label, i) => [label, i]));
  const matrix = labels.map(() => labels.map(() => 0));
  let correct = 0;
  for (const { expected, predicted } of pairs) {
    matrix[index.get(expected)!]![index.get(predicted)!]!++;
    if (expected === predicted) correct++;
  }
  const perLabel = labels.map((label, i): LabelMetrics => {
    const truePositive = matrix[i]![i]!;
    const support = matrix[i]!.reduce((s, v) => s + v, 0);
    const predicted = matrix.reduce((s, row) => s + row[i]!, 0);
    const precision = predicted === 0 ? undefined : truePositive / predicted;
    const recall = support === 0 ? undefined : truePositive / support;
    const f1 =
      precision === undefined || recall === undefined || precision + recall === 0
        ? undefined
        : (2 * precision * recall) / (precision + recall);
    return { label, support, precision, recall, f1 };
  });
  return {
    n: pairs.length,
    accuracy: pairs.length === 0 ? Number.NaN : correct / pairs.length,
    labels,
    confusionMatrix: matrix,
    perLabel,
    macro: {
      precision: macroOf(perLabel.map((m) => m.precision)),
      recall: macroOf(perLabel.map((m) => m.recall)),
      f1: macroOf(perLabel.map((m) => m.f1)),
    },
  };
}

function macroOf(values: (number | undefined)[]): number | undefined {
  const defined = values.filter((v): v is number => v !== undefined);
  return defined.length === 0 ? undefined : defined.reduce((s, v) => s + v, 0) / defined.length;
}
