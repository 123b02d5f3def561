import { expect, test } from 'vitest';
import { isRxNormCode } from './medication-formats.js';

test.each(['723', '308182', '12345678'])('%s is an RxNorm code', (code) => expect(isRxNormCode(code)).toBe(true));
test.each(['', '123456789', '30818a', ' 723', '-1'])('%j is not an RxNorm code', (code) => expect(isRxNormCode(code)).toBe(false));
