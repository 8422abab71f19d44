import { AwsError } from '../core/errors.js';

/** The request shape every handler receives: the parsed JSON 1.1 body. */
export type Input = Record<string, unknown>;

export const NAME_PATTERN = /^[.\-_A-Za-z0-9]+$/;
export const NAME_PATTERN_TEXT = '[\\.\\-_A-Za-z0-9]+';
export const BUS_NAME_PATTERN = /^[/.\-_A-Za-z0-9]+$/;
export const BUS_NAME_PATTERN_TEXT = '[/\\.\\-_A-Za-z0-9]+';

export function validationError(message: string): AwsError {
  return new AwsError('ValidationException', message);
}

export function notFound(message: string): AwsError {
  return new AwsError('ResourceNotFoundException', message);
}

export function alreadyExists(message: string): AwsError {
  return new AwsError('ResourceAlreadyExistsException', message);
}
