import { expect, test } from 'vitest';
import { isCvxCode, isSeasonalInfluenzaVaccine } from './cvx.js';

test.each(['3', '08', '141', '999'])('%s is a CVX code', (code) => {
  expect(isCvxCode(code)).toBe(true);
});

test.each(['', '1000', '14a', ' 141', 'J07BB'])('%j is not a CVX code', (code) => {
  expect(isCvxCode(code)).toBe(false);
});

test.each([
  ['141', true],
  ['150', true],
  ['205', true],
  ['088', true],
  ['127', false], // H1N1 2009, pandemic monovalent
  ['03', false], // MMR
  ['213', false], // COVID-19
])('CVX %s is a seasonal influenza vaccine: %s', (code, expected) => {
  expect(isSeasonalInfluenzaVaccine(code)).toBe(expected);
});
