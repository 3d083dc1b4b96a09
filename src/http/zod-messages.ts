// Short, human messages for schema failures, so a 400 names the field and says what is wrong in plain words.
import { z } from 'zod';

z.config({
  customError: (issue) => {
    switch (issue.code) {
      case 'invalid_type':
        if (issue.input === undefined) return 'is required';
        return `must be ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}${issue.input === null ? ', not null' : ''}`;
      case 'too_small':
        if (issue.origin === 'string') return `must be at least ${issue.minimum} character${issue.minimum === 1 ? '' : 's'} long`;
        if (issue.origin === 'array') return `must have at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'}`;
        return `must be at least ${issue.minimum}`;
      case 'too_big':
        if (issue.origin === 'string') return `must be at most ${issue.maximum} characters long`;
        if (issue.origin === 'array') return `must have at most ${issue.maximum} items`;
        return `must be at most ${issue.maximum}`;
      case 'invalid_value':
        return issue.values.length > 6 ? 'is not one of the allowed values' : `must be one of: ${issue.values.join(', ')}`;
      case 'unrecognized_keys':
        return `has unknown field${issue.keys.length === 1 ? '' : 's'}: ${issue.keys.join(', ')}`;
      default:
        return undefined;
    }
  },
});
