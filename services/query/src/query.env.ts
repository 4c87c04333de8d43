import { BaseEnv, SERVICE_PORTS } from '@vigil/config';

export class QueryEnv extends BaseEnv {
  override HTTP_PORT: number = SERVICE_PORTS.query;
}
