import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { perDocument } from './per-document.js';

describe('perDocument', () => {
  it('walks a document node once, and each new node again', () => {
    const schema = buildSchema('type Query { a: Int }');
    let walks = 0;
    const fields = perDocument((document) => {
      walks += 1;
      return document.definitions.length;
    });
    const cached = parse('{ a }');
    expect([fields(cached, schema), fields(cached, schema)]).toEqual([1, 1]);
    expect(walks).toBe(1);
    fields(parse('{ a }'), schema);
    expect(walks).toBe(2);
  });
});
