import { PipeTransform } from '@nestjs/common';
import { fieldErrorsException } from './errors';

/** A path parameter that must be a positive integer (a version), refused in the API's error shape. */
export class PositiveIntPipe implements PipeTransform<string, number> {
  constructor(private readonly name: string) {}

  transform(value: string): number {
    const parsed = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < 1) {
      throw fieldErrorsException(`invalid ${this.name}`, [
        { field: this.name, reason: 'must be a positive integer' },
      ]);
    }
    return parsed;
  }
}
