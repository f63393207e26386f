import { InvalidArgumentError } from 'commander';

export function intOption(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed)) throw new InvalidArgumentError(`'${value}' is not an integer`);
  return parsed;
}
