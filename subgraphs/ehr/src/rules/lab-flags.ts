import type { LabFlag } from '@chartbridge/db';

/**
 * Abnormal flags of lab results, as HL7 v2 table 0078 (and FHIR's ObservationInterpretation) codes
 * them: N normal, L low, H high, LL critically low, HH critically high, A abnormal (for results that
 * are not numbers).
 */
export const LAB_FLAGS: readonly LabFlag[] = ['N', 'L', 'H', 'LL', 'HH', 'A'];

/** The limits a numeric result is judged by; any of them may be unknown. */
export interface ResultLimits {
  readonly referenceLow: number | null;
  readonly referenceHigh: number | null;
  readonly criticalLow: number | null;
  readonly criticalHigh: number | null;
}

/**
 * The flag of a numeric result: LL or HH beyond a critical limit, else L or H outside the reference
 * range, else N when a range was given to judge by; null when there is nothing to judge by. Limits
 * are inside their range (a potassium of exactly 5.1 against 3.5-5.1 is normal), as reference
 * intervals are reported. Pure.
 */
export function computeFlag(value: number, limits: ResultLimits): LabFlag | null {
  if (limits.criticalLow !== null && value < limits.criticalLow) return 'LL';
  if (limits.criticalHigh !== null && value > limits.criticalHigh) return 'HH';
  if (limits.referenceLow !== null && value < limits.referenceLow) return 'L';
  if (limits.referenceHigh !== null && value > limits.referenceHigh) return 'H';
  if (limits.referenceLow !== null || limits.referenceHigh !== null) return 'N';
  return null;
}

/** LL and HH: values the laboratory must call in at once (CLIA, 42 CFR 493.1291(g)). */
export function isCriticalFlag(flag: LabFlag | null): boolean {
  return flag === 'LL' || flag === 'HH';
}

export function isAbnormalFlag(flag: LabFlag | null): boolean {
  return flag !== null && flag !== 'N';
}

/** A result as the alert rule sees it. */
export interface ResultForAlert {
  readonly id: string;
  readonly loincCode: string;
  readonly testName: string;
  /** The value as written for people: a decimal or a text. */
  readonly value: string;
  readonly unit: string | null;
  readonly flag: LabFlag | null;
  readonly critical: boolean;
  readonly observedAt: Date;
}

export interface ResultAlert {
  readonly kind: 'critical_result' | 'abnormal_result';
  readonly severity: 'critical' | 'warning';
  /** The rule that raised it: `lab-result.critical` or `lab-result.abnormal`. */
  readonly rule: string;
  readonly message: string;
  readonly resultId: string;
  readonly at: Date;
}

/** How long an abnormal or critical result stays an alert on the chart. */
export const RESULT_ALERT_DAYS = 30;

const DAY_MS = 86_400_000;

/**
 * The alerts of a patient's results: for each test (LOINC code), its latest result when that one is
 * critical (`critical_result`) or abnormal (`abnormal_result`) and was observed in the last
 * {@link RESULT_ALERT_DAYS} days. A newer normal result of the same test clears the alert, and an
 * older one fades out of the window: the chart has no acknowledgement workflow yet, so recency is
 * what keeps the list about what still needs attention. Critical first, then newest first. Pure.
 */
export function resultAlerts(results: readonly ResultForAlert[], now: Date): ResultAlert[] {
  const latest = new Map<string, ResultForAlert>();
  for (const result of results) {
    const seen = latest.get(result.loincCode);
    if (
      !seen ||
      result.observedAt > seen.observedAt ||
      (result.observedAt.getTime() === seen.observedAt.getTime() && result.id > seen.id)
    ) {
      latest.set(result.loincCode, result);
    }
  }
  const since = now.getTime() - RESULT_ALERT_DAYS * DAY_MS;
  const alerts: ResultAlert[] = [];
  for (const result of latest.values()) {
    if (result.observedAt.getTime() < since) continue;
    const critical = result.critical || isCriticalFlag(result.flag);
    if (!critical && !isAbnormalFlag(result.flag)) continue;
    const reading = `${result.value}${result.unit ? ` ${result.unit}` : ''}${result.flag ? ` (${result.flag})` : ''}`;
    const when = result.observedAt.toISOString().slice(0, 10);
    alerts.push({
      kind: critical ? 'critical_result' : 'abnormal_result',
      severity: critical ? 'critical' : 'warning',
      rule: critical ? 'lab-result.critical' : 'lab-result.abnormal',
      message: `${critical ? 'Critical' : 'Abnormal'} result: ${result.testName} (LOINC ${result.loincCode}) ${reading} on ${when}`,
      resultId: result.id,
      at: result.observedAt,
    });
  }
  return alerts.sort(
    (a, b) => Number(b.kind === 'critical_result') - Number(a.kind === 'critical_result') || b.at.getTime() - a.at.getTime(),
  );
}
