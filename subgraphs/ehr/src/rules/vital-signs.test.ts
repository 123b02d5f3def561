import { describe, expect, test } from 'vitest';
import {
  PLAUSIBLE,
  bodyMassIndex,
  fromCelsius,
  fromCentimetres,
  fromKilograms,
  isWithin,
  toCelsius,
  toCentimetres,
  toKilograms,
} from './vital-signs.js';

describe('unit conversions', () => {
  test.each([
    [98.6, 'FAH', 37],
    [100.4, 'FAH', 38],
    [37.2, 'CEL', 37.2],
    [32, 'FAH', 0],
  ] as const)('%d %s is %d Celsius', (value, unit, celsius) => {
    expect(toCelsius(value, unit)).toBe(celsius);
  });

  test('pounds and inches convert by their exact definitions', () => {
    expect(toKilograms(150, 'LB')).toBe(68.04);
    expect(toKilograms(70.5, 'KG')).toBe(70.5);
    expect(toCentimetres(70, 'IN')).toBe(177.8);
    expect(toCentimetres(172.4, 'CM')).toBe(172.4);
  });

  test('stored values read back in the unit asked for', () => {
    expect(fromCelsius(37, 'FAH')).toBe(98.6);
    expect(fromCelsius(37.25, 'CEL')).toBe(37.3);
    expect(fromKilograms(68.04, 'LB')).toBe(150);
    expect(fromCentimetres(177.8, 'IN')).toBe(70);
  });
});

describe('body mass index', () => {
  test('is kg/m2 to one decimal', () => {
    expect(bodyMassIndex(70, 175)).toBe(22.9);
    expect(bodyMassIndex(68.04, 177.8)).toBe(21.5);
  });
});

describe('plausibility', () => {
  test.each([
    [120, PLAUSIBLE.systolic, true],
    [400, PLAUSIBLE.systolic, false],
    [15, PLAUSIBLE.heartRate, false],
    [Number.NaN, PLAUSIBLE.heartRate, false],
    [98.6, PLAUSIBLE.temperatureCel, false], // Fahrenheit sent as Celsius
  ])('%d within %j: %s', (value, range, expected) => {
    expect(isWithin(value, range)).toBe(expected);
  });
});
