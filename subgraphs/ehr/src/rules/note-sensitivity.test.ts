import { describe, expect, test } from 'vitest';
import { isRestrictedKind, lowersProtection } from './note-sensitivity.js';

describe('note sensitivity', () => {
  test('behavioural-health notes are the restricted kind', () => {
    expect(isRestrictedKind('behavioral_health')).toBe(true);
    expect((['progress', 'consult', 'procedure'] as const).filter(isRestrictedKind)).toEqual([]);
  });

  test('only a change from a restricted kind to an unrestricted one lowers protection', () => {
    expect(lowersProtection('behavioral_health', 'progress')).toBe(true);
    expect(lowersProtection('behavioral_health', 'behavioral_health')).toBe(false);
    expect(lowersProtection('progress', 'behavioral_health')).toBe(false);
    expect(lowersProtection('progress', 'consult')).toBe(false);
  });
});
