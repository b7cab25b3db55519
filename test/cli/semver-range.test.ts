import assert from 'node:assert/strict';
import { satisfiesRange } from '../../bot/cli/semver-range.js';

describe('satisfiesRange', () => {
  const cases: [string, string, boolean][] = [
    ['20.20.2', '>=18', true],
    ['20.20.2', '>= 18', true],
    ['20.20.2', '>=22.0.0', false],
    ['20.20.2', '^20.19.0 || >=22.12.0', true],
    ['20.18.0', '^20.19.0 || >=22.12.0', false],
    ['20.20.2', '^18.18.0 || ^20.9.0 || >=21.1.0', true],
    ['20.20.2', '>=20.19 <21', true],
    ['20.20.2', '~20.20.0', true],
    ['20.20.2', '10.x || >=12', true],
    ['20.20.2', '>=21', false],
  ];
  for (const [version, range, expected] of cases) {
    it(`${expected ? 'accepts' : 'refuses'} node ${version} for "${range}"`, () => assert.equal(satisfiesRange(version, range), expected));
  }
});
