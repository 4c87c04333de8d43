import {
  ArgumentMetadata,
  ArgumentsHost,
  Catch,
  Injectable,
  PipeTransform,
  RpcExceptionFilter,
} from '@nestjs/common';
import { validatePlain } from '@vigil/contracts';
import { Observable, throwError } from 'rxjs';
import { InvalidMessageError } from './errors';

const UNVALIDATED: readonly unknown[] = [Object, String, Number, Boolean, Array, Uint8Array, Buffer];

/**
 * Validates a request handler's `@Payload()` against its declared contract class, so that handlers
 * only ever see valid requests; a violation is an `invalid_request` reply. (Consumers' batches are
 * arrays, validated message by message by the transport before the handler runs.)
 */
@Injectable()
export class ContractPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const type = metadata.metatype;
    if (metadata.type !== 'body' || !type || UNVALIDATED.includes(type)) return value;
    const result = validatePlain(type as new () => object, value);
    if (!result.ok) throw new InvalidMessageError(result.errors);
    return result.value;
  }
}

/**
 * Nest's default RPC filter turns every unknown error into "Internal server error". The transport
 * needs the original error to tell a poison message from a passing failure, so pass it through.
 */
@Catch()
export class PassThroughRpcErrors implements RpcExceptionFilter {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => exception);
  }
}
