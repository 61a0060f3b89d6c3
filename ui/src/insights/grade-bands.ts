/**
 * The code-quality grades as score bands (docs/code-quality.md: A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60,
 * else E), for the background of the quality chart. Colours are translucent so the score line
 * stays readable on light and dark backgrounds.
 */
export interface GradeBand {
  readonly grade: 'A' | 'B' | 'C' | 'D' | 'E';
  /** Lowest score of the band (inclusive). */
  readonly from: number;
  /** Highest score of the band (exclusive, except 100 for A). */
  readonly to: number;
  readonly colour: string;
}

export const GRADE_BANDS: readonly GradeBand[] = [
  { grade: 'A', from: 90, to: 100, colour: 'rgba(16, 185, 129, 0.18)' },
  { grade: 'B', from: 80, to: 90, colour: 'rgba(132, 204, 22, 0.18)' },
  { grade: 'C', from: 70, to: 80, colour: 'rgba(234, 179, 8, 0.18)' },
  { grade: 'D', from: 60, to: 70, colour: 'rgba(249, 115, 22, 0.18)' },
  { grade: 'E', from: 0, to: 60, colour: 'rgba(239, 68, 68, 0.18)' },
];

/** The grade a score falls in, by the same thresholds the checks grade with. */
export function gradeOf(score: number): GradeBand['grade'] {
  return (GRADE_BANDS.find((b) => score >= b.from) ?? GRADE_BANDS[GRADE_BANDS.length - 1]!).grade;
}
