import { ApiError } from './api-client.js';
import { checkField } from './form-rules.js';
import { describePattern, plainFieldMessage, plainMessage } from './plain-messages.js';

describe('API messages in plain words', () => {
  it('says what a name pattern allows instead of showing the regular expression', () => {
    expect(plainFieldMessage('must match ^[a-z][a-z0-9-]*[a-z0-9]$')).toBe('Start with a lower-case letter, then use only lower-case letters, digits and “-”, and end with lower-case letters and digits.');
    expect(describePattern('^[a-z][a-z0-9_]*$')).toBe('Start with a lower-case letter, then use only lower-case letters, digits and “_”.');
    expect(describePattern('^[A-Za-z0-9 _.@-]+$')).toBe('Use only lower-case letters, capital letters, digits, spaces, “_”, “.”, “@” and “-”.');
    expect(describePattern('^20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$')).toBe('Use a date like 2026-01-31 (year-month-day).');
  });

  it('turns the overwrite hint into the checkbox to tick', () => {
    const error = new ApiError(409, 'files_exist', 'The project already has 2 of these files (README.md, app.py); apply with "overwrite": true to replace them');
    expect(plainMessage(error)).toBe('Some of these files are already in the project (README.md, app.py). Tick “Overwrite files that already exist” to replace them, or choose another project.');
    expect(plainMessage(error)).not.toMatch(/"overwrite"/);
  });

  it('says lengths and missing values plainly', () => {
    expect(plainFieldMessage('must be at least 8 characters')).toBe('Use at least 8 characters.');
    expect(plainFieldMessage('Too big: expected string to have <=40 characters')).toBe('Use at most 40 characters.');
    expect(plainFieldMessage('must not be empty')).toBe('Fill this in.');
  });
});

describe('checking a field in the browser', () => {
  const serviceName = { type: 'string' as const, required: true, pattern: '^[a-z][a-z0-9-]*[a-z0-9]$', minLength: 3, maxLength: 40 };

  it('accepts a valid value and explains each kind of invalid one', () => {
    expect(checkField(serviceName, 'orders-service')).toBeNull();
    expect(checkField(serviceName, '')).toBe('Fill this in.');
    expect(checkField(serviceName, 'ab')).toBe('Use at least 3 characters.');
    expect(checkField(serviceName, 'Orders')).toMatch(/^Start with a lower-case letter/);
    expect(checkField({ type: 'integer', minimum: 1024, maximum: 65535 }, '80')).toBe('Use 1024 or more.');
    expect(checkField({ type: 'integer' }, 'eighty')).toBe('Enter a whole number, like 8080.');
  });
});
