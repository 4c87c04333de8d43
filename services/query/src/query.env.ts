import { BaseEnv, Secret, SERVICE_PORTS } from '@vigil/config';
import { IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';

export class QueryEnv extends BaseEnv {
  override HTTP_PORT: number = SERVICE_PORTS.query;

  /**
   * Bearer token for the operator API's writes (POST, PUT, DELETE); reads stay open. Unset, writes
   * are open too (a warning says so at start-up): set it wherever the port is reachable by more
   * than the operators.
   */
  @IsOptional()
  @MinLength(16, { message: 'must be at least 16 characters' })
  @IsString()
  @Secret()
  QUERY_OPERATOR_TOKEN?: string;

  /**
   * How long the operator API waits for the correlator's answer before it answers 503. A command
   * that timed out may still be applied: retrying with the same commandId is harmless.
   */
  @Max(60_000)
  @Min(100)
  @IsInt()
  QUERY_RPC_TIMEOUT_MS: number = 5000;
}
